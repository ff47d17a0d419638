-- Group invalidation (InvalidationPublisher.cs): deletes every member key of a group with its lock, then the group set.
-- KEYS[1] the group set; its members share its hash tag. Returns how many members it had.
local members = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(members) do redis.call('DEL', key, key .. ':lock') end
redis.call('DEL', KEYS[1])
return #members
