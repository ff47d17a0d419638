-- Moves a version counter on (InvalidationPublisher.cs): every key built on the old version is never read again.
-- KEYS[1] the version key. ARGV[1] the sender's clock in ms. Returns the new version.
-- New version = max(current + 1, now): it always grows, and it still does not go back to a version whose keys may be
-- alive if the counter was lost (evicted, flushed): a plain INCR would restart at 1 and serve those old pages again.
local current = tonumber(redis.call('GET', KEYS[1])) or 0
local version = math.max(current + 1, tonumber(ARGV[1]))
redis.call('SET', KEYS[1], string.format('%d', version))
return version
