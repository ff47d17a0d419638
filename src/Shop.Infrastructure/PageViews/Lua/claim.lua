-- The flusher's first step for one shard, fenced by its lease (PageViewFlusher).
-- KEYS[1] lease, KEYS[2] pending hash, KEYS[3] in-flight set, KEYS[4] moves counter, KEYS[5] flushed mirror
-- ARGV[1] lease token, ARGV[2] lease TTL (ms), ARGV[3] id for the new batch
-- If the lease is not (or no longer) ours, touches nothing and returns nil: another flusher owns the shard.
-- Otherwise renews the lease, moves the pending hash to a new in-flight batch with one RENAME (atomic and O(1):
-- a view lands either in the batch or in the next pending hash, never both, never neither), and returns
-- {seeded, batch id, {product, views, ...}, batch id, {...}, ...} for every batch in flight in the shard: the new
-- one and any left by a flusher that died between its move and its cleanup.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return nil end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('EXISTS', KEYS[2]) == 1 then
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
