-- A godap session driven by nvim-dap in headless Neovim, run by
-- test/integration/test_nvim_dap.py:
--
--   GODAP_BIN=build/adapter/godap GODAP_REPO=$PWD \
--     nvim --headless -u NONE --cmd 'set rtp+=<nvim-dap checkout>' \
--       -l test/editors/nvim-dap-session.lua
--
-- Loads examples/editors/nvim-dap.lua as a user's config and debugs
-- examples/hello with its "godap: debug package" configuration:
-- breakpoint, stack, locals, next, continue, continue to the exit.  Prints
-- "CHECK ..." per step; any failure exits non-zero with the reason.
local repo = assert(os.getenv('GODAP_REPO'), 'GODAP_REPO')
vim.g.godap_program = vim.fn.fnamemodify(assert(os.getenv('GODAP_BIN'), 'GODAP_BIN'), ':p')
dofile(repo .. '/examples/editors/nvim-dap.lua')
local dap = require('dap')

local function out(s)
  io.stderr:write(s .. '\n')
end
local function fail(fmt, ...)
  out('FAIL ' .. string.format(fmt, ...))
  os.exit(1)
end
local function check(what, ok, detail)
  if ok then
    out('CHECK ' .. what)
  else
    fail('%s: %s', what, vim.inspect(detail))
  end
end
local function wait(what, pred, ms)
  if not vim.wait(ms or 120000, pred, 20) then
    fail('timed out waiting for %s', what)
  end
end

local src = repo .. '/examples/hello/hello.go'
local lines = vim.fn.readfile(src)
local function line_of(marker)
  for i, l in ipairs(lines) do
    if l:find(marker, 1, true) then
      return i
    end
  end
  fail('no %s in %s', marker, src)
end
local bp_line = line_of('// demo breakpoint')
local call_line = line_of('fmt.Println(greet(name, i+1))')

local stops, exited, terminated, output = 0, nil, false, {}
dap.listeners.after.event_stopped['godap-test'] = function() stops = stops + 1 end
dap.listeners.after.event_exited['godap-test'] = function(_, body) exited = body.exitCode end
dap.listeners.after.event_terminated['godap-test'] = function() terminated = true end
dap.listeners.after.event_output['godap-test'] = function(_, body)
  if body.category == 'stdout' then table.insert(output, body.output) end
end

-- a request on the session, waited for
local function request(cmd, args)
  local s = dap.session()
  local done, err, res = false, nil, nil
  s:request(cmd, args, function(e, r) err, res, done = e, r, true end)
  wait(cmd, function() return done end, 30000)
  if err then fail('%s: %s', cmd, vim.inspect(err)) end
  return res
end

local function stopped_frames()
  local s = dap.session()
  wait('the stopped thread', function() return s.stopped_thread_id ~= nil end, 30000)
  return request('stackTrace', { threadId = s.stopped_thread_id }).stackFrames
end

local function locals(frame)
  local scopes = request('scopes', { frameId = frame.id }).scopes
  check('first scope is Locals', scopes[1].name == 'Locals', scopes)
  local got = {}
  for _, v in ipairs(request('variables', { variablesReference = scopes[1].variablesReference }).variables) do
    got[v.name] = { v.value, v.type }
  end
  return got
end

vim.cmd('edit ' .. vim.fn.fnameescape(src))
vim.api.nvim_win_set_cursor(0, { bp_line, 0 })
dap.set_breakpoint()

local cfg
for _, c in ipairs(dap.configurations.go) do
  if c.name == 'godap: debug package' then cfg = c end
end
check('configuration', cfg ~= nil)
local modes, seen = {}, {}
for _, c in ipairs(dap.configurations.go) do
  local m = c.request .. '/' .. c.mode
  if not seen[m] then modes[#modes + 1] = m end
  seen[m] = true
end
table.sort(modes)
check('configurations for every mode', table.concat(modes, ' ') ==
  'attach/local attach/remote launch/core launch/debug launch/exec launch/test', modes)

dap.run(cfg)
wait('the breakpoint', function() return stops >= 1 end)
local frames = stopped_frames()
check('stopped at the breakpoint in main.greet',
  frames[1].name == 'main.greet' and frames[1].line == bp_line, frames[1])
check('caller is main.main', frames[2].name == 'main.main' and frames[2].line == call_line, frames[2])
local l = locals(frames[1])
check('locals name and n', vim.deep_equal(l.name, { '"gopher"', 'string' }) and vim.deep_equal(l.n, { '1', 'int' }), l)

stops = 0
dap.step_over()
wait('next', function() return stops >= 1 end)
frames = stopped_frames()
check('next went to the following line', frames[1].name == 'main.greet' and frames[1].line == bp_line + 1, frames[1])

stops = 0
dap.continue()
wait('the breakpoint again', function() return stops >= 1 end)
frames = stopped_frames()
l = locals(frames[1])
check('continue hit the breakpoint again', frames[1].line == bp_line and vim.deep_equal(l.name, { '"world"', 'string' }), l)

dap.clear_breakpoints()
wait('breakpoints cleared', function() return next(require('dap.breakpoints').get()) == nil end, 30000)
dap.continue()
wait('the exit', function() return terminated end)
check('exit code 0', exited == 0, exited)
check('program output', table.concat(output) == 'hello, gopher #1\nhello, world #2\nhello, godap #3\nbye\n', output)

-- Remote: godap --listen --accept-multiclient; a launch through the port,
-- leave with the program suspended, then the "connect" configuration.
local errbuf = ''
local job = vim.fn.jobstart({ vim.g.godap_program, '--listen', '127.0.0.1:0', '--accept-multiclient' }, {
  on_stderr = function(_, data) errbuf = errbuf .. table.concat(data, '\n') end,
})
check('server started', job > 0, job)
local port
wait('godap to listen', function()
  port = tonumber(errbuf:match('listening at: 127%.0%.0%.1:(%d+)'))
  return port ~= nil
end, 30000)
vim.api.nvim_win_set_cursor(0, { bp_line, 0 })
dap.set_breakpoint()
stops, terminated = 0, false
dap.run(vim.tbl_extend('force', cfg, { port = port }))
wait('the breakpoint over the port', function() return stops >= 1 end)
frames = stopped_frames()
check('remote launch stopped at the breakpoint', frames[1].line == bp_line, frames[1])
local gone = false
dap.disconnect({ terminateDebuggee = false, suspendDebuggee = true }, function() gone = true end)
wait('the first client to leave', function() return gone and dap.session() == nil end, 30000)
dap.clear_breakpoints()

local remote
for _, c in ipairs(dap.configurations.go) do
  if c.mode == 'remote' then remote = c end
end
stops, terminated, exited = 0, false, nil
dap.run(vim.tbl_extend('force', remote, { port = port }))
wait('the kept program', function() return stops >= 1 end)
frames = stopped_frames()
l = locals(frames[1])
check('the next client sees it where it was',
  frames[1].name == 'main.greet' and frames[1].line == bp_line and vim.deep_equal(l.name, { '"gopher"', 'string' }), l)
dap.continue()
wait('the exit', function() return terminated end)
check('remote exit code 0', exited == 0, exited)
local rc = vim.fn.jobwait({ job }, 30000)[1]
check('the server ended', rc == 0, rc)

out('PASS nvim-dap session')
os.exit(0)
