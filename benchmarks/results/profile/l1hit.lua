-- wrk: product pages 1-2000 at random (all in L1 after start_api).
math.randomseed(7)
request = function() return wrk.format("GET", "/api/products/" .. math.random(1, 2000)) end
