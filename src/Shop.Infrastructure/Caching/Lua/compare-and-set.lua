-- Write-through compare-and-set (WriteThrough.cs). Revokes the key's fill lease, then stores the value unless Redis
-- already holds this version or a newer one, or the key's version floor is newer (the version is bytes 2-20 of the
-- envelope, see CacheEnvelope).
-- The floor (KEYS[3], "<key>:ver") is the highest version written through; it outlives a DEL (explicit
-- invalidation) or an eviction of the entry, so a delayed older writer cannot put an older version back.
-- It carries the entry's TTL (so it lives at least as long as the entry) and is volatile like every cache key.
-- KEYS[1] value key, KEYS[2] lock key, KEYS[3] version floor key. ARGV[1] value, ARGV[2] version, ARGV[3] TTL in ms.
-- Returns 1 if stored.
redis.call('DEL', KEYS[2])
local version = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local floor = tonumber(redis.call('GET', KEYS[3]))
if floor and floor > version then return 0 end
local current = redis.call('GET', KEYS[1])
if current then
  local held = tonumber(string.sub(current, 2, 20))
  if held and held >= version then
    -- Raise the floor to what Redis holds (it may have come from a fill), so deleting it lets no older writer in.
    if not floor or held > floor then redis.call('SET', KEYS[3], held, 'PX', math.max(ttl, redis.call('PTTL', KEYS[1]))) end
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('SET', KEYS[3], version, 'PX', math.max(ttl, redis.call('PTTL', KEYS[3])))
return 1
