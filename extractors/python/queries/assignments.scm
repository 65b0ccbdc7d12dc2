; Assignments to a name or an attribute chain (`stripe.max_network_retries = 2`).
(assignment left: [(identifier) (attribute)]) @assign
; Assignments to an item (`connect_args["timeout"] = 5`).
(assignment left: (subscript)) @item
