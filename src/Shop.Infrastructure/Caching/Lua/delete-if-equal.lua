-- Drops an undecodable entry (CacheEntryCodec.DiscardAsync), only if it still holds the bytes that failed to decode, so
-- a good value another instance stored meanwhile survives. KEYS[1] value key. ARGV[1] the bad bytes. Returns 1 if deleted.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
