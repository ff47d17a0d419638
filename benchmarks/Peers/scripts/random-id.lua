-- wrk script for scripts/peers.sh: every request asks for a product id among the hot ones.
--   wrk -tT ... -s random-id.lua URL -- PATH_TEMPLATE HOT_IDS [seq T]
-- PATH_TEMPLATE has one %d (e.g. /api/products/%d); ids are drawn uniformly from 1..HOT_IDS, a different sequence per
-- wrk thread. With "seq T" (T = wrk's thread count) the threads walk 1..HOT_IDS in turn instead, so a short run
-- touches every hot id (used to fill the caches before a measured run). A template without %d is sent as is.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local template, hot, has_id, sequential, stride, next_id

function init(args)
  template = args[1] or "/"
  hot = tonumber(args[2] or "5000")
  has_id = string.find(template, "%d", 1, true) ~= nil
  sequential = args[3] == "seq"
  stride = tonumber(args[4] or "1")
  next_id = thread_number or 1
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

function request()
  if not has_id then
    return wrk.format("GET", template)
  end
  local id
  if sequential then
    id = (next_id - 1) % hot + 1
    next_id = next_id + stride
  else
    id = math.random(1, hot)
  end
  return wrk.format("GET", string.format(template, id))
end
