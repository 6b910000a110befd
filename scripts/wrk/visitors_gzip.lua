-- visitors.lua, from a browser that takes gzip (Accept-Encoding), as every browser does.
package.path = package.path .. ";./scripts/wrk/?.lua"
local report = require("report")
local counter = 0
local threads = {}
thread_id = 0  -- a global: setup() sets it in each thread's own Lua state

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
end

function request()
  counter = counter + 1
  -- 32 hex characters: thread, counter and a random part.
  local vid = string.format("%08x%08x%08x%08x", thread_id, counter, math.random(0, 0x7fffffff), os.time())
  wrk.headers["Cookie"] = "vid=" .. vid
  wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/126 Mobile bench"
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
  return wrk.format("GET", wrk.path)
end

done = report.done
