-- Stampede lock, first step of a miss (RedisLock.GetOrAcquireAsync).
-- KEYS[1] value key, KEYS[2] its lock key (same hash tag). ARGV[1] owner token, ARGV[2] lock TTL in ms.
-- Returns the cached value if present; otherwise tries to take the lock: 1 = taken, 0 = held by another.
local value = redis.call('GET', KEYS[1])
if value then return value end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
