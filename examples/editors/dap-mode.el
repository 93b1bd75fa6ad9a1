;;; dap-mode.el --- godap with Emacs dap-mode  -*- lexical-binding: t; -*-

;; godap with dap-mode (https://github.com/emacs-lsp/dap-mode), tested with
;; Debian's elpa-dap-mode 0.7 (test/integration/test_emacs_dap_mode.py).
;;
;; Load this file after dap-mode (e.g. from your init file):
;;
;;   (require 'dap-mode)
;;   (setq godap-program "/path/to/godap/build/adapter/godap") ; or godap on PATH
;;   (load "/path/to/godap/examples/editors/dap-mode.el")
;;
;; Then, in a Go buffer: M-x dap-breakpoint-toggle on a line, and
;; M-x dap-debug, and pick one of the "Go: godap ..." templates:
;;
;;   debug   build the package of the current file and debug it
;;   test    build the tests of the current file's package and debug them
;;   exec    debug a prebuilt binary (asks for it)
;;   attach  attach to a running process (pick it from a list)
;;   core    open a core file of a binary (asks for both)
;;   remote  connect to `godap --listen HOST:PORT' started elsewhere
;;
;; M-x dap-next, dap-step-in, dap-step-out, dap-continue, dap-disconnect;
;; M-x dap-ui-locals (from dap-ui) shows the variables.

;;; Code:

(require 'dap-mode)

;; dap-mode reads this variable when it sets exception breakpoints, but
;; only dap-ui defines it: without dap-ui loaded every session would stop
;; with "Symbol's value as variable is void: dap-exception-breakpoints".
;; defvar leaves dap-ui's settings alone when dap-ui is loaded.
(defvar dap-exception-breakpoints nil)

(defvar godap-program (or (executable-find "godap") "godap")
  "The godap executable: a path, or \"godap\" to find it on PATH.")

(defun godap--pick-process ()
  "Ask for a process to attach to, from the processes of this user."
  (let* ((me (user-uid))
         (procs (delq nil
                      (mapcar (lambda (pid)
                                (let ((a (process-attributes pid)))
                                  (when (and a (eql (alist-get 'euid a) me)
                                             (not (eql pid (emacs-pid))))
                                    (cons (format "%d  %s  %s" pid
                                                  (or (alist-get 'comm a) "?")
                                                  (or (alist-get 'args a) ""))
                                          pid))))
                              (list-system-processes))))
         (choice (completing-read "Attach to process: " procs nil t)))
    (cdr (assoc choice procs))))

(defun godap--here ()
  "The directory of the current file, else `default-directory'."
  (expand-file-name (if buffer-file-name
                        (file-name-directory buffer-file-name)
                      default-directory)))

(defun godap--populate (conf)
  "Fill what the godap template CONF leaves to the moment of starting."
  (let ((mode (plist-get conf :mode)))
    (pcase mode
      ((or "debug" "test")
       (dap--put-if-absent conf :program (godap--here)))
      ("exec"
       (dap--put-if-absent conf :program
                           (expand-file-name (read-file-name "Go binary: " nil nil t))))
      ("core"
       (dap--put-if-absent conf :program
                           (expand-file-name (read-file-name "Go binary: " nil nil t)))
       (dap--put-if-absent conf :coreFilePath
                           (expand-file-name (read-file-name "Core file: " nil nil t))))
      ("local"
       (dap--put-if-absent conf :processId (godap--pick-process)))
      ("remote"
       (dap--put-if-absent conf :host (read-string "godap host: " "127.0.0.1"))
       (dap--put-if-absent conf :debugServer
                           (string-to-number (read-string "godap port: " "4711"))))))
  ;; A remote godap is reached over TCP (:host, :debugServer); otherwise
  ;; dap-mode starts godap and talks DAP on its stdin/stdout.
  (unless (plist-get conf :debugServer)
    (dap--put-if-absent conf :dap-server-path (list godap-program)))
  conf)

(dap-register-debug-provider "godap" #'godap--populate)

(dap-register-debug-template
 "Go: godap debug package"
 (list :type "godap" :request "launch" :name "godap debug package"
       :mode "debug" :program nil :args []))

(dap-register-debug-template
 "Go: godap debug test"
 ;; runs in the package directory, as `go test` does: no :cwd needed
 (list :type "godap" :request "launch" :name "godap debug test"
       :mode "test" :program nil :args ["-test.run" ".*"]))

(dap-register-debug-template
 "Go: godap debug binary (exec)"
 (list :type "godap" :request "launch" :name "godap debug binary"
       :mode "exec" :program nil :args []))

(dap-register-debug-template
 "Go: godap attach to process"
 (list :type "godap" :request "attach" :name "godap attach"
       :mode "local" :processId nil))

(dap-register-debug-template
 "Go: godap open core file"
 (list :type "godap" :request "launch" :name "godap core"
       :mode "core" :program nil :coreFilePath nil))

(dap-register-debug-template
 "Go: godap connect to remote godap --listen"
 (list :type "godap" :request "attach" :name "godap remote"
       :mode "remote" :host nil :debugServer nil
       ;; map the paths of the remote build to this checkout, e.g.
       ;; :substitutePath (vector (list :from "/home/me/app" :to "/src/app"))
       :substitutePath []))

(provide 'godap-dap-mode)
;;; dap-mode.el ends here
