#!lua
-- (A shebang script: Redis refuses it whole when over maxmemory, instead of failing at its first denied write
-- after earlier writes, e.g. a RENAME whose SADD is then refused, which would strand a batch.)
-- The flusher's last step for one shard, after PostgreSQL committed its batches; fenced by the lease.
-- KEYS[1] lease, KEYS[2] in-flight set, KEYS[3] flushed mirror
-- ARGV[1] lease token, ARGV[2] n, ARGV[3 .. 2+n] batch ids, ARGV[3+n] '1' if the totals below are every product of
-- the shard (the mirror is rebuilt from them), then product id, total pairs returned by the flush statement.
-- In one step: deletes the batches and moves their views into the mirror of flushed totals, so that
-- mirror + in flight + pending counts each view exactly once at every moment. A product whose total came back is
-- set to it; the other products of the batches (batches a dead flusher had already applied) are incremented,
-- provided the mirror knows them. Returns 0 if the lease was lost (nothing done: the next owner finishes).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local n = tonumber(ARGV[2])
local rebuild = ARGV[3 + n] == '1'
local totals = {}
for i = 4 + n, #ARGV, 2 do totals[ARGV[i]] = ARGV[i + 1] end
local complete = rebuild or redis.call('HEXISTS', KEYS[3], '_seeded') == 1
for i = 3, 2 + n do
  local key = KEYS[2] .. ':' .. ARGV[i]
  if not rebuild then
    local fields = redis.call('HGETALL', key)
    for j = 1, #fields, 2 do
      local product = fields[j]
      if not totals[product] and (complete or redis.call('HEXISTS', KEYS[3], product) == 1) then
        redis.call('HINCRBY', KEYS[3], product, fields[j + 1])
      end
    end
  end
  redis.call('DEL', key)
  redis.call('SREM', KEYS[2], ARGV[i])
end
if rebuild then redis.call('DEL', KEYS[3]) end
for product, total in pairs(totals) do redis.call('HSET', KEYS[3], product, total) end
if rebuild then redis.call('HSET', KEYS[3], '_seeded', '1') end
return 1
