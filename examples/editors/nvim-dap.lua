-- godap with nvim-dap (https://github.com/mfussenegger/nvim-dap).
-- Put this in your config (e.g. ~/.config/nvim/after/plugin/godap.lua) and
-- point `command` at your godap binary.
local dap = require('dap')

dap.adapters.godap = {
  type = 'executable',
  command = vim.fn.expand('~/src/godap/build/adapter/godap'), -- or 'godap' on PATH
  args = {},
  options = {
    -- A cold `go build` of the program (mode debug/test) can take half a
    -- minute; godap answers meanwhile and shows "Building ..." with
    -- progress, but give it time as nvim-dap-go does.
    initialize_timeout_sec = 60,
  },
}

dap.configurations.go = {
  {
    type = 'godap',
    request = 'launch',
    name = 'Debug package (godap)',
    mode = 'debug',
    program = '${fileDirname}',
  },
  {
    type = 'godap',
    request = 'launch',
    name = 'Debug binary (godap)',
    mode = 'exec',
    program = function()
      return vim.fn.input('Binary: ', vim.fn.getcwd() .. '/', 'file')
    end,
  },
  {
    -- Runs in the package directory, as `go test` does (testdata/ works).
    type = 'godap',
    request = 'launch',
    name = 'Debug test (godap)',
    mode = 'test',
    program = '${fileDirname}',
  },
  {
    -- stdin/stdout in nvim-dap's terminal (runInTerminal).
    type = 'godap',
    request = 'launch',
    name = 'Debug package in a terminal (godap)',
    mode = 'debug',
    program = '${fileDirname}',
    console = 'integratedTerminal',
  },
  {
    type = 'godap',
    request = 'attach',
    name = 'Attach (godap)',
    mode = 'local',
    processId = require('dap.utils').pick_process,
  },
}
