#!lua
-- (A shebang script: Redis refuses it whole when over maxmemory, instead of failing at its first denied write
-- after earlier writes, e.g. a RENAME whose SADD is then refused, which would strand a batch.)
-- Records one page view: the hot path of the write-behind counter (RedisPageViewCounter.RecordAsync).
-- Atomic: the view is counted, and its product marked pending (the field exists), in one step or not at all.
-- Constant cost whatever the backlog: a shard has at most one batch in flight (claim.lua), read with SRANDMEMBER,
-- and the pending hash is one field per product however long PostgreSQL has been down.
-- KEYS[1] pending hash, KEYS[2] in-flight set, KEYS[3] flushed mirror hash; ARGV[1] product id.
-- Batch keys are KEYS[2] .. ':' .. id: same hash tag, same slot.
-- Returns {pending, unflushed, flushed}:
--   pending   the product's delta not yet moved, after this view (the flusher's threshold is checked against it)
--   unflushed pending + the product's views in the in-flight batch
--   flushed   the product's total in PostgreSQL as the mirror knows it; 0 if the mirror is complete (seeded) and
--             has no entry; -1 if the mirror is incomplete (Redis lost it; the next flush of the shard rebuilds it)
local product = ARGV[1]
local pending = redis.call('HINCRBY', KEYS[1], product, 1)
local unflushed = pending
local batch = redis.call('SRANDMEMBER', KEYS[2])
if batch then
  local views = redis.call('HGET', KEYS[2] .. ':' .. batch, product)
  if views then unflushed = unflushed + tonumber(views) end
end
local flushed = redis.call('HGET', KEYS[3], product)
if flushed then
  flushed = tonumber(flushed)
elseif redis.call('HEXISTS', KEYS[3], '_seeded') == 1 then
  flushed = 0
else
  flushed = -1
end
return {pending, unflushed, flushed}
