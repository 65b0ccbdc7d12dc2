; Property assignments such as `client.defaults.timeout = 2000` and `this.http = axios.create()`.
(assignment_expression
  left: (member_expression) @left
  right: (_) @right) @assign
