-- GET one fixed path with the bearer token (and ACCEPT as the Accept header, when set).
local token = os.getenv("TOKEN")
local accept = os.getenv("ACCEPT")
request = function()
  local headers = { ["Authorization"] = "Bearer " .. token }
  if accept then headers["Accept"] = accept end
  return wrk.format("GET", os.getenv("FIXED_PATH"), headers)
end
