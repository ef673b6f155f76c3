-- GET one fixed path with the bearer token.
local token = os.getenv("TOKEN")
request = function()
  return wrk.format("GET", os.getenv("FIXED_PATH"), { ["Authorization"] = "Bearer " .. token })
end
