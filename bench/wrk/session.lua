-- wrk script: every request carries one of the benchmark sessions.
--   wrk -t N -c N -s session.lua URL -- SESSIONS_FILE MODE CSRF THREADS RUN_ID
-- MODE: get (GET with the session), post (POST, no fields: the baseline),
--       punch (POST a punch: 出勤, then 休憩開始/休憩終了 alternately, each
--       user's punches in order: one connection per thread, users split
--       between threads), login (POST the password step; SESSIONS_FILE
--       holds login IDs, no session).
-- The CSRF cookie and field carry the same 32-character secret.
local sessions, state = {}, {}
local mode, csrf, runid
local i, counter = 0, 0
local next_tid = 0
local password = os.getenv("BENCH_PASSWORD") or ""

function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
end

function init(args)
  local file, nthreads
  file, mode, csrf, nthreads, runid = args[1], args[2], args[3], tonumber(args[4]), tonumber(args[5])
  local line_no = 0
  for line in io.lines(file) do
    if line_no % nthreads == tid - 1 then
      table.insert(sessions, line)
      table.insert(state, 0)
    end
    line_no = line_no + 1
  end
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local kinds = { "in", "break_start", "break_end" }

request = function()
  i = i % #sessions + 1
  counter = counter + 1
  local headers = {}
  if mode == "login" then
    headers["Cookie"] = "csrftoken=" .. csrf
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrfmiddlewaretoken=" .. csrf .. "&login_view-current_step=auth&auth-username="
      .. sessions[i] .. "&auth-password=" .. urlencode(password)
    return wrk.format("POST", nil, headers, body)
  end
  headers["Cookie"] = "sessionid=" .. sessions[i] .. "; csrftoken=" .. csrf
  if mode == "get" then
    return wrk.format("GET", nil, headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local body = "csrfmiddlewaretoken=" .. csrf
  if mode == "punch" then
    local n = state[i]
    local kind = n == 0 and "in" or kinds[2 + (n + 1) % 2]
    state[i] = n + 1
    body = body .. "&kind=" .. kind .. "&token=" .. string.format("%08x%08x%08x%08x", runid, tid, counter, i)
  end
  return wrk.format("POST", nil, headers, body)
end
