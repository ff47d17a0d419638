-- wrk script for scripts/peers.sh: every request asks for a random product id among the hot ones.
--   wrk ... -s random-id.lua URL -- PATH_TEMPLATE HOT_IDS
-- PATH_TEMPLATE has one %d (e.g. /api/products/%d); ids are drawn uniformly from 1..HOT_IDS, a different
-- sequence per wrk thread. A template without %d (/health/live, /bare) is sent as is.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local template, hot, has_id

function init(args)
  template = args[1] or "/"
  hot = tonumber(args[2] or "5000")
  has_id = string.find(template, "%d", 1, true) ~= nil
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

function request()
  if has_id then
    return wrk.format("GET", string.format(template, math.random(1, hot)))
  end
  return wrk.format("GET", template)
end
