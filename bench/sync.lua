-- One client syncing the whole trainee list with the cursor, page after page, from the start again when it is done.
-- Prints the records per second it received.
local threads = {}
function setup(thread) table.insert(threads, thread) end

local token = os.getenv("TOKEN")
local size = tonumber(os.getenv("PAGE_SIZE") or "100")
local cursor = nil
records = 0
request = function()
  local path = "/api/v1/trainees?limit=" .. size .. (cursor and ("&cursor=" .. cursor) or "")
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
response = function(status, headers, body)
  if status ~= 200 then return end
  local _, count = string.gsub(body, '"traineeId":', "")
  records = records + count
  if string.find(body, '"hasMore":true', 1, true) then
    cursor = string.match(body, '"nextCursor":"([^"]+)"')
  else
    cursor = nil
  end
end
done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("records") end
  io.write(string.format("SYNC records_per_s=%.0f pages=%d p50_ms=%.2f\n", total / (summary.duration / 1e6), summary.requests, latency:percentile(50) / 1000))
end
