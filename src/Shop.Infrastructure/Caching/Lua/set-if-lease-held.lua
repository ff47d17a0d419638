-- Stores a loaded value and releases the lock, only if the lock is still ours (RedisLock.SetIfLeaseHeldAsync); else an
-- invalidation revoked the lease: the value is older than the database, so it is dropped. A value that carries a
-- version (bytes 2-20 of the envelope, 0 = none) older than the key's write-through floor ("<key>:ver", same hash
-- tag, see compare-and-set.lua) is dropped too.
-- KEYS[1] value key, KEYS[2] lock key.
-- ARGV[1] owner token, ARGV[2] value, ARGV[3] TTL in ms. Returns 1 if stored.
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
local floor = tonumber(redis.call('GET', KEYS[1] .. ':ver'))
local version = tonumber(string.sub(ARGV[2], 2, 20))
if floor and version and version > 0 and version < floor then
  redis.call('DEL', KEYS[2])
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('DEL', KEYS[2])
return 1
