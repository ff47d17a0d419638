-- wrk: batches of 100 consecutive ids among products 1-2000.
math.randomseed(7)
request = function()
  local s = math.random(0, 19) * 100 + 1
  local ids = {}
  for i = 0, 99 do ids[#ids + 1] = s + i end
  return wrk.format("GET", "/api/products?ids=" .. table.concat(ids, ","))
end
