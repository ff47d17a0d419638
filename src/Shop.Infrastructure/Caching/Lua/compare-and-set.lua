-- Write-through compare-and-set (WriteThrough.cs). Revokes the key's fill lease, then stores the value unless Redis
-- already holds this version or a newer one (the version is bytes 2-20 of the envelope, see CacheEnvelope).
-- KEYS[1] value key, KEYS[2] lock key. ARGV[1] value, ARGV[2] version, ARGV[3] TTL in ms. Returns 1 if stored.
redis.call('DEL', KEYS[2])
local current = redis.call('GET', KEYS[1])
if current then
  local version = tonumber(string.sub(current, 2, 20))
  if version and version >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
