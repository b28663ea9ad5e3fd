/// The Pareto front of accuracy (higher is better) against cost (lower is better).
public enum Pareto {
    /// Indices of the points no other point beats on both (at most the cost and at least the
    /// accuracy, better in one), in input order.
    public static func front(cost: [Double], accuracy: [Double]) -> [Int] {
        precondition(cost.count == accuracy.count, "one cost per accuracy")
        return cost.indices.filter { i in
            !cost.indices.contains { j in
                j != i && cost[j] <= cost[i] && accuracy[j] >= accuracy[i] && (cost[j] < cost[i] || accuracy[j] > accuracy[i])
            }
        }
    }
}
