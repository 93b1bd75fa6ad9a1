;;; godap with Emacs dap-mode (https://github.com/emacs-lsp/dap-mode).
;;; Evaluate this (or put it in your init file) and adjust `godap-program'.
;;; Then M-x dap-debug and pick "Go: godap launch package".

(require 'dap-mode)

(defvar godap-program (expand-file-name "~/src/godap/build/adapter/godap")
  "The godap executable.")

(defun godap--populate-start-file-args (conf)
  "Make CONF start godap over stdio."
  (dap--put-if-absent conf :dap-server-path (list godap-program))
  (dap--put-if-absent conf :program default-directory)
  conf)

(dap-register-debug-provider "godap" #'godap--populate-start-file-args)

(dap-register-debug-template
 "Go: godap launch package"
 (list :type "godap"
       :request "launch"
       :name "godap launch package"
       :mode "debug"
       :program nil
       :args []
       :env nil))

(dap-register-debug-template
 "Go: godap launch binary"
 (list :type "godap"
       :request "launch"
       :name "godap launch binary"
       :mode "exec"
       :program nil))

(dap-register-debug-template
 "Go: godap test package"
 ;; Runs in the package directory, as `go test` does: no :cwd needed.
 (list :type "godap"
       :request "launch"
       :name "godap test package"
       :mode "test"
       :program nil))
