;;; dap-mode-session.el --- a godap session driven by Emacs dap-mode  -*- lexical-binding: t; -*-

;; Run by test/integration/test_emacs_dap_mode.py:
;;
;;   GODAP_BIN=build/adapter/godap GODAP_REPO=$PWD \
;;     emacs --batch -l test/editors/dap-mode-session.el
;;
;; Loads dap-mode the way a user does ((require 'dap-mode) alone, no
;; dap-ui), then examples/editors/dap-mode.el, and debugs examples/hello
;; with the "Go: godap debug package" template: breakpoint, stack, locals,
;; next, continue, continue to the exit.  Each step prints "CHECK ..." on
;; success; any failure exits non-zero with the reason.

;;; Code:

(require 'dap-mode)

(defvar godap-test--repo (file-name-as-directory (getenv "GODAP_REPO")))
(defvar godap-test--hello (expand-file-name "examples/hello/" godap-test--repo))
(defvar godap-test--src (expand-file-name "hello.go" godap-test--hello))
(defvar godap-test--stops 0)
(defvar godap-test--terminated nil)

(setq dap-breakpoints-file (make-temp-file "godap-dap-breakpoints"))
(setq dap-auto-show-output nil)

(load (expand-file-name "examples/editors/dap-mode.el" godap-test--repo) nil t)
(setq godap-program (expand-file-name (getenv "GODAP_BIN") godap-test--repo))

(defun godap-test--fail (fmt &rest args)
  (princ (concat "FAIL " (apply #'format fmt args) "\n") #'external-debugging-output)
  (kill-emacs 1))

(defun godap-test--check (what ok &optional detail)
  (if ok
      (princ (format "CHECK %s\n" what) #'external-debugging-output)
    (godap-test--fail "%s: %S" what detail)))

(defun godap-test--wait (what pred &optional seconds)
  "Wait until PRED is true, letting dap-mode read godap's messages."
  (let ((deadline (+ (float-time) (or seconds 120))))
    (while (not (funcall pred))
      (when (> (float-time) deadline)
        (godap-test--fail "timed out waiting for %s" what))
      (accept-process-output nil 0.05))))

(defun godap-test--line-of (marker)
  (with-current-buffer (find-file-noselect godap-test--src)
    (save-excursion
      (goto-char (point-min))
      (search-forward marker)
      (line-number-at-pos))))

(add-hook 'dap-stopped-hook (lambda (_s) (setq godap-test--stops (1+ godap-test--stops))))
(add-hook 'dap-terminated-hook (lambda (_s) (setq godap-test--terminated t)))

(defun godap-test--top (session)
  "Frames of the stopped thread of SESSION (a list of hash tables)."
  (let* ((tid (dap--debug-session-thread-id session))
         (body (dap-request session "stackTrace" :threadId tid)))
    (append (gethash "stackFrames" body) nil)))

(defun godap-test--locals (session frame)
  (let* ((scopes (append (gethash "scopes" (dap-request session "scopes" :frameId (gethash "id" frame))) nil))
         (locals (car scopes))
         (vars (append (gethash "variables"
                                (dap-request session "variables"
                                             :variablesReference (gethash "variablesReference" locals)))
                       nil)))
    (godap-test--check "first scope is Locals" (equal (gethash "name" locals) "Locals") (gethash "name" locals))
    (mapcar (lambda (v) (list (gethash "name" v) (gethash "value" v) (gethash "type" v))) vars)))

(defun godap-test--wait-stop (n)
  (godap-test--wait (format "stop #%d" n) (lambda () (>= godap-test--stops n)))
  ;; dap-mode asks for the stack itself after a stop: let it settle
  (let ((s (dap--cur-session)))
    (godap-test--wait "the stopped thread" (lambda () (dap--debug-session-thread-id s)))
    s))

(let* ((bp-line (godap-test--line-of "// demo breakpoint"))
       (call-line (godap-test--line-of "fmt.Println(greet(name, i+1))"))
       (template (copy-tree (cdr (assoc "Go: godap debug package" dap-debug-template-configurations)))))
  (godap-test--check "template registered" template)
  ;; the breakpoint, as M-x dap-breakpoint-add on the line
  (with-current-buffer (find-file-noselect godap-test--src)
    (goto-char (point-min))
    (forward-line (1- bp-line))
    (dap-breakpoint-add))
  ;; M-x dap-debug from hello.go's buffer: :program is its directory
  (with-current-buffer (find-file-noselect godap-test--src)
    (dap-debug template))
  (let* ((s (godap-test--wait-stop 1))
         (frames (godap-test--top s))
         (top (car frames)))
    (godap-test--check "stopped at the breakpoint in main.greet"
                       (and (equal (gethash "name" top) "main.greet") (= (gethash "line" top) bp-line))
                       (list (gethash "name" top) (gethash "line" top)))
    (godap-test--check "caller is main.main"
                       (and (equal (gethash "name" (nth 1 frames)) "main.main")
                            (= (gethash "line" (nth 1 frames)) call-line))
                       (list (gethash "name" (nth 1 frames)) (gethash "line" (nth 1 frames))))
    (let ((locals (godap-test--locals s top)))
      (godap-test--check "locals name and n"
                         (and (member '("name" "\"gopher\"" "string") locals)
                              (member '("n" "1" "int") locals))
                         locals))
    ;; M-x dap-next
    (setq godap-test--stops 0)
    (dap-next s)
    (setq s (godap-test--wait-stop 1))
    (let ((top (car (godap-test--top s))))
      (godap-test--check "next went to the following line"
                         (and (equal (gethash "name" top) "main.greet") (= (gethash "line" top) (1+ bp-line)))
                         (list (gethash "name" top) (gethash "line" top))))
    ;; M-x dap-continue: the breakpoint again, for the second name
    (setq godap-test--stops 0)
    (dap-continue s (dap--debug-session-thread-id s))
    (setq s (godap-test--wait-stop 1))
    (let* ((top (car (godap-test--top s)))
           (locals (godap-test--locals s top)))
      (godap-test--check "continue hit the breakpoint again"
                         (and (= (gethash "line" top) bp-line) (member '("name" "\"world\"" "string") locals))
                         (list (gethash "line" top) locals)))
    ;; remove the breakpoint (M-x dap-breakpoint-delete) and run to the end
    (with-current-buffer (find-file-noselect godap-test--src)
      (goto-char (point-min))
      (forward-line (1- bp-line))
      (call-interactively #'dap-breakpoint-delete))
    (godap-test--wait "breakpoints cleared"
                      (lambda () (null (gethash godap-test--src (dap--debug-session-breakpoints s)))) 30)
    (dap-continue s (dap--debug-session-thread-id s))
    (godap-test--wait "the session to end" (lambda () godap-test--terminated))
    (let ((out (with-current-buffer (dap--debug-session-output-buffer s) (buffer-string))))
      (godap-test--check "program output"
                         (string-match-p "hello, gopher #1\nhello, world #2\nhello, godap #3\nbye\n" out)
                         out))
    (princ "PASS dap-mode session\n" #'external-debugging-output)
    (kill-emacs 0)))
