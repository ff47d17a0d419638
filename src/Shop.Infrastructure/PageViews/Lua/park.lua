#!lua
-- (A shebang script: Redis refuses it whole when over maxmemory, instead of failing at its first denied write
-- after earlier writes, e.g. a RENAME whose SADD is then refused, which would strand a batch.)
-- Parks an in-flight batch that is older than the dedup retention (PageViewFlusher, PageViews:MaxBatchAge), fenced
-- by the lease: its id may have been pruned from applied_view_batches, so applying it could count it twice.
-- KEYS[1] lease, KEYS[2] in-flight set, KEYS[3] parked set; ARGV[1] lease token, ARGV[2] batch id.
-- The batch hash is renamed to KEYS[3] .. ':' .. id (no TTL: kept for an operator to reconcile by hand) and
-- leaves the in-flight set, so the shard moves on. Returns 1, or 0 if the lease was lost (nothing done).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local batch = KEYS[2] .. ':' .. ARGV[2]
if redis.call('EXISTS', batch) == 1 then redis.call('RENAME', batch, KEYS[3] .. ':' .. ARGV[2]) end
redis.call('SREM', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
