; ES imports (`import x, { a as b } from "m"`) and CommonJS `const x = require("m")`.
(import_statement
  source: (string) @source) @import

(variable_declarator
  name: (_) @binding
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @source))
  (#eq? @_require "require"))

; Compiled TypeScript: `var axios_1 = __importDefault(require("axios"))`.
(variable_declarator
  name: (identifier) @binding
  value: (call_expression
    function: (identifier) @_wrap
    arguments: (arguments
      (call_expression
        function: (identifier) @_require
        arguments: (arguments . (string) @source))))
  (#match? @_wrap "^__import(Default|Star)$")
  (#eq? @_require "require"))

; Dynamic ESM import in CommonJS: `const { got } = await import("got")`, `const m = await import("m")`.
(variable_declarator
  name: (_) @binding
  value: (await_expression
    (call_expression
      function: (import)
      arguments: (arguments . (string) @source))))

; CommonJS interop member (round 19, js1): `const axiosRetry = require("axios-retry").default`,
; `const { Storage } = require("m").v1` reads the member.
(variable_declarator
  name: (identifier) @binding
  value: (member_expression
    object: (call_expression
      function: (identifier) @_require
      arguments: (arguments . (string) @source))
    property: (property_identifier) @member)
  (#eq? @_require "require"))
