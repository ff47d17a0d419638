#!lua
-- (A shebang script: Redis refuses it whole when over maxmemory, instead of failing at its first denied write
-- after earlier writes, e.g. a RENAME whose SADD is then refused, which would strand a batch.)
-- The flusher's first step for one shard, fenced by its lease (PageViewFlusher).
-- KEYS[1] lease, KEYS[2] pending hash, KEYS[3] in-flight set, KEYS[4] moves counter, KEYS[5] flushed mirror
-- ARGV[1] lease token, ARGV[2] lease TTL (ms), ARGV[3] id for the new batch
-- If the lease is not (or no longer) ours, touches nothing and returns nil: another flusher owns the shard.
-- Otherwise renews the lease and, ONLY if no batch is in flight in the shard, moves the pending hash to a new
-- in-flight batch with one RENAME (atomic and O(1): a view lands either in the batch or in the next pending hash,
-- never both, never neither). A batch still in flight (its flush failed, or its flusher died) is retried as it is,
-- never merged (its commit may have happened) and never joined by a second one: at most one batch per shard, so the
-- backlog of an outage stays in :pending (one field per product) and record.lua looks at one batch only.
-- Returns {seeded, batch id, {product, views, ...}, ...} for the batch in flight (a shard written by an older
-- version may still hold several; they are all returned and finished).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return nil end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('SCARD', KEYS[3]) == 0 and redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RENAME', KEYS[2], KEYS[3] .. ':' .. ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[3])
  redis.call('INCR', KEYS[4])
end
local result = {redis.call('HEXISTS', KEYS[5], '_seeded')}
for _, batch in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  table.insert(result, batch)
  table.insert(result, redis.call('HGETALL', KEYS[3] .. ':' .. batch))
end
return result
