// Tests start real processes (balancers, replicas, containers) and judge liveness by heartbeats: on a
// 2-core machine, running them side by side would measure the machine, not the code.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
