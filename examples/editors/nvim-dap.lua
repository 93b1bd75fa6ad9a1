-- godap with nvim-dap (https://github.com/mfussenegger/nvim-dap).
-- Tested headless with Neovim 0.11 (test/integration/test_nvim_dap.py).
--
-- Put this file in your config, e.g. ~/.config/nvim/after/plugin/godap.lua
-- (or `dofile` it after nvim-dap is loaded).  godap is found on PATH;
-- otherwise set vim.g.godap_program = '/path/to/godap/build/adapter/godap'
-- before it runs.
--
-- Then in a Go buffer: :lua require('dap').toggle_breakpoint(), and
-- :lua require('dap').continue() offers these configurations:
--   debug   build the package of the current file and debug it
--   test    build the tests of the current file's package and debug them
--   exec    debug a prebuilt binary (asks for it)
--   attach  attach to a running process (pick it from a list)
--   core    open a core file of a binary (asks for both)
--   remote  connect to `godap --listen HOST:PORT` started elsewhere
local dap = require('dap')

local function godap_program()
  if vim.g.godap_program and vim.g.godap_program ~= '' then
    return vim.g.godap_program
  end
  local found = vim.fn.exepath('godap')
  if found == '' then
    error('godap: no "godap" executable on PATH; build it (scripts/setup.sh makes '
      .. 'build/adapter/godap) and put it on PATH, or set vim.g.godap_program')
  end
  return found
end

-- An executable adapter (DAP on godap's stdin/stdout), or, for a
-- configuration with `port` (mode "remote", or a launch on the remote
-- host), a server: a godap started with --listen HOST:PORT.
-- A cold `go build` of the program (modes debug and test) can take half a
-- minute: godap answers meanwhile and shows "Building ..." with progress, but
-- nvim-dap's default wait for the first answer is short, so give it time as
-- nvim-dap-go does.
local adapter_options = { initialize_timeout_sec = 60 }

dap.adapters.godap = function(callback, config)
  if config.port then
    local port = type(config.port) == 'function' and config.port() or config.port
    callback({ type = 'server', host = config.host or '127.0.0.1', port = port,
               options = adapter_options })
  else
    callback({ type = 'executable', command = godap_program(), args = {},
               options = adapter_options })
  end
end

local function ask_file(prompt)
  return function()
    local f = vim.fn.input(prompt, vim.fn.getcwd() .. '/', 'file')
    if f == '' then
      return dap.ABORT
    end
    return vim.fn.fnamemodify(f, ':p')
  end
end

dap.configurations.go = {
  {
    type = 'godap', request = 'launch', name = 'godap: debug package',
    mode = 'debug', program = '${fileDirname}',
  },
  {
    -- the program's stdin/stdout in nvim-dap's terminal (runInTerminal)
    type = 'godap', request = 'launch', name = 'godap: debug package in a terminal',
    mode = 'debug', program = '${fileDirname}', console = 'integratedTerminal',
  },
  {
    -- runs in the package directory, as `go test` does (testdata/ works)
    type = 'godap', request = 'launch', name = 'godap: debug test',
    mode = 'test', program = '${fileDirname}',
    args = function()
      local pat = vim.fn.input('-test.run: ', '.*')
      return { '-test.run', pat }
    end,
  },
  {
    type = 'godap', request = 'launch', name = 'godap: debug binary (exec)',
    mode = 'exec', program = ask_file('Go binary: '),
  },
  {
    type = 'godap', request = 'attach', name = 'godap: attach to process',
    mode = 'local', processId = require('dap.utils').pick_process,
  },
  {
    type = 'godap', request = 'launch', name = 'godap: open core file',
    mode = 'core', program = ask_file('Go binary: '), coreFilePath = ask_file('Core file: '),
  },
  {
    type = 'godap', request = 'attach', name = 'godap: connect to godap --listen',
    mode = 'remote', host = '127.0.0.1',
    port = function()
      return tonumber(vim.fn.input('godap port: ', '4711'))
    end,
    -- map this checkout to the paths the remote program was built from:
    -- substitutePath = { { from = vim.fn.getcwd(), to = '/src/app' } },
  },
}
