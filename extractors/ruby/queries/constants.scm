; Constants a file defines: `TIMEOUT = 5`, `Risk::TIMEOUT = 5`.
(assignment left: (constant) @name right: (_) @value) @assign
(assignment left: (scope_resolution) @name right: (_) @value) @assign
