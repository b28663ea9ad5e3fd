/// The Pareto front of accuracy (higher is better) against cost (lower is better).
public enum Pareto {
    /// Whether each point is on the front: no other point has at most its cost and at least its
    /// accuracy, and is better in one of them.
    public static func onFront(cost: [Double], accuracy: [Double]) -> [Bool] {
        cost.indices.map { i in
            !cost.indices.contains { j in
                j != i && cost[j] <= cost[i] && accuracy[j] >= accuracy[i] && (cost[j] < cost[i] || accuracy[j] > accuracy[i])
            }
        }
    }
}
