-- Reads what Redis holds of one product's views, for GET .../views (RedisPageViewCounter.ReadPendingAsync).
-- KEYS[1] pending hash, KEYS[2] in-flight set, KEYS[3] moves counter; ARGV[1] product id.
-- Returns {moves, pending, batch id, views, batch id, views, ...} for the in-flight batches that hold the product.
local result = {tonumber(redis.call('GET', KEYS[3]) or '0'), tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')}
for _, batch in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local views = redis.call('HGET', KEYS[2] .. ':' .. batch, ARGV[1])
  if views then
    table.insert(result, batch)
    table.insert(result, tonumber(views))
  end
end
return result
