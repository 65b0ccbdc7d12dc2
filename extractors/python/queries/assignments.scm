; Assignments to a name or an attribute chain (`stripe.max_network_retries = 2`).
(assignment left: [(identifier) (attribute)]) @assign
