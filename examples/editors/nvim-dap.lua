-- godap with nvim-dap (https://github.com/mfussenegger/nvim-dap).
-- Put this in your config (e.g. ~/.config/nvim/after/plugin/godap.lua) and
-- point `command` at your godap binary.
local dap = require('dap')

dap.adapters.godap = {
  type = 'executable',
  command = vim.fn.expand('~/src/godap/build/adapter/godap'), -- or 'godap' on PATH
  args = {},
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
    type = 'godap',
    request = 'launch',
    name = 'Debug test (godap)',
    mode = 'test',
    program = '${fileDirname}',
  },
  {
    type = 'godap',
    request = 'attach',
    name = 'Attach (godap)',
    mode = 'local',
    processId = require('dap.utils').pick_process,
  },
}
