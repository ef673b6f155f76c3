-- POST a new trainee with a providerTraineeId unique to this run, thread and request.
local token = os.getenv("TOKEN")
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tag", os.time() .. "-" .. threads)
end
request = function()
  counter = counter + 1
  local key = "BENCH-" .. tag .. "-" .. counter
  local body = '{"providerTraineeId":"' .. key .. '","firstNames":"Bench","lastName":"Load' .. counter ..
    '","dateOfBirth":"1990-01-01","email":"' .. string.lower(key) .. '@example.org","sex":"female","nationality":"IN",' ..
    '"trainingCountry":"IN","ageRange":"11-19","subjects":["100403"],"studyMode":"full_time","startDate":"2025-09-01","expectedEndDate":"2026-07-31"}'
  return wrk.format("POST", "/api/v1/trainees?confirmNotDuplicate=true",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
