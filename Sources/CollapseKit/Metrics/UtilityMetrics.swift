/// Downstream utility and fairness of a generated table with a `real.label`
/// (docs/metrics.md#utility-and-fairness), for every family whose batch is a
/// ``MixedTable`` on `real.distribution: table` (`copula`, `external` with `data: table`).
///
/// A downstream model (``UtilityConfig/Model``: ``LogisticRegressionModel`` or
/// ``LinearModel``, on a ``FeatureEncoder``'s design: every modelled column but the label)
/// predicts the label. TSTR (train synthetic, test real): the model trained on the
/// generation's batch; TRTR (train real, test real): the same model trained on R₀, once
/// per chain. Both are tested on the first `utility.heldout` rows of the chain's
/// held-out real sample (disjoint from R₀).
///
/// - `tstr_accuracy`, `trtr_accuracy`: the share of test rows whose prediction
///   (class 1 when z = b + xᵀw > 0, i.e. p > 0.5) is their label.
/// - `tstr_auc`, `trtr_auc`: the Mann–Whitney AUC of z for the positive against the
///   negative test rows, ties ½ (``MembershipROC``; `roc_auc_score`); NaN when the test
///   rows have one class.
/// - `tstr_r2`, `trtr_r2`: 1 − Σ(y − ŷ)²/Σ(y − ȳ)² on the test rows (`r2_score`); NaN
///   for constant test labels.
/// - `utility_ratio`: TSTR / TRTR of accuracy (logistic) or R² (linear).
/// - `demographic_parity_ratio` (`trtr_…`): min over groups of P(ŷ = 1 | group) / max over
///   groups, groups the values of `real.sensitive` among the test rows; NaN when no
///   group gets a positive prediction (0/0, as fairlearn).
/// - `equal_opportunity_difference` (`trtr_…`): max − min over groups of the true-positive
///   rate P(ŷ = 1 | y = 1, group), over the groups with a positive test row; NaN when
///   there is none.
///
/// Degenerate training sets are recorded, never crashed on: an empty batch gives NaN;
/// a batch with one label class gives the constant predictor of that class (accuracy
/// the test share of that class, AUC ½ by ties, every group's rate 0 or 1); a singular
/// design is no problem for either model (the L2 penalty, the minimum-norm solution).
public enum UtilityMetrics {
    /// Where the label and the sensitive column are in the modelled table, and how
    /// the label reads as a class.
    public struct Columns: Sendable {
        /// The label's position in the schema.
        public let label: Int
        /// The sensitive column's position (nil without `real.sensitive`, or when it is
        /// not modelled).
        public let sensitive: Int?
        /// Whether the label is a numeric column.
        public let numericLabel: Bool
        /// A binary label's classes: the positive class is the larger value (numeric)
        /// or the later level in string order (categorical), as scikit-learn's sorted
        /// `classes_[1]`; nil when the label does not have exactly two values.
        public let binary: Binary?
        /// The label's name and its number of distinct values in the file (messages).
        public let labelName: String
        public let labelValues: Int

        public enum Binary: Sendable, Equatable {
            /// y = 1 when the value is at least the midpoint of the two values (a
            /// generated value between them, from an interpolated marginal, goes to the
            /// nearer class).
            case numeric(negative: Double, positive: Double)
            /// y = 1 for the level code `positive`.
            case categorical(positive: Int32)
        }
    }

    /// The label's columns, or why a utility metric cannot be computed here (no
    /// table, no label, a label or sensitive column that is not modelled).
    public static func labelColumns(real: RealDataConfig) -> Result<Columns, Problem> {
        guard let table = real.spec as? TableRealData else {
            return .failure(Problem(text: "needs real.distribution: table with a real.label (the column the downstream model predicts), and the real data here is \(real.name)"))
        }
        guard let label = table.label else {
            return .failure(Problem(text: "needs real.label: the column the downstream model predicts (a modelled column, in real.columns)"))
        }
        guard let position = table.columns.firstIndex(of: label) else {
            return .failure(Problem(text: "needs real.label (\(label)) among the modelled columns real.columns (\(table.columns.joined(separator: ", "))), so that the generated table has it"))
        }
        guard table.columns.count >= 2 else {
            return .failure(Problem(text: "needs a modelled column besides real.label (\(label)) as a feature"))
        }
        let column = table.data.column(label)!
        var binary: Columns.Binary?
        var values: Int
        if column.type == .numeric {
            let distinct = Set(column.numbers)
            values = distinct.count
            if values == 2 { binary = .numeric(negative: distinct.min()!, positive: distinct.max()!) }
        } else {
            values = column.levels.count
            if values == 2 { binary = .categorical(positive: column.levels[0] < column.levels[1] ? 1 : 0) }
        }
        var sensitive: Int?
        if let s = table.sensitive, s != label { sensitive = table.columns.firstIndex(of: s) }
        return .success(Columns(label: position, sensitive: sensitive, numericLabel: column.type == .numeric,
                                binary: binary, labelName: label, labelValues: values))
    }

    /// Why a metric is unavailable.
    public struct Problem: Error, Sendable { public let text: String }

    /// The utility metrics `real` supports: the logistic ones (and, with a modelled
    /// `real.sensitive`, the fairness ones) for a binary label, the linear ones for a
    /// numeric label, `utility_ratio` for either.
    public static func available(real: RealDataConfig) -> Set<MetricName> {
        guard case .success(let c) = labelColumns(real: real) else { return [] }
        var out: Set<MetricName> = []
        if c.binary != nil {
            out.formUnion(UtilityConfig.logisticMetrics)
            if c.sensitive != nil { out.formUnion(UtilityConfig.fairnessMetrics) }
        }
        if c.numericLabel { out.formUnion(UtilityConfig.linearMetrics) }
        if !out.isEmpty { out.insert(.utilityRatio) }
        return out
    }

    /// Each utility metric `real` does not support, with the reason (for the config
    /// error).
    public static func unavailable(real: RealDataConfig) -> [MetricName: String] {
        let offered = available(real: real)
        var out: [MetricName: String] = [:]
        for name in UtilityConfig.metrics where !offered.contains(name) {
            out[name] = "\(name.rawValue) " + reason(name, real: real)
        }
        return out
    }

    static func reason(_ name: MetricName, real: RealDataConfig) -> String {
        let c: Columns
        switch labelColumns(real: real) {
        case .failure(let p): return p.text
        case .success(let found): c = found
        }
        let table = real.spec as! TableRealData
        if UtilityConfig.linearMetrics.contains(name) {
            return "needs a numeric real.label (utility.model linear), and \(c.labelName) is categorical"
        }
        if c.binary == nil {
            let kind = c.numericLabel ? "numeric" : "categorical"
            return name == .utilityRatio
                ? "needs a binary or numeric real.label, and \(c.labelName) is \(kind) with \(c.labelValues) values"
                : "needs a binary real.label (utility.model logistic), and \(c.labelName) has \(c.labelValues) values"
        }
        // A fairness metric without a usable sensitive column.
        guard let s = table.sensitive else {
            return "needs real.sensitive: the column whose values are the groups (a modelled column, in real.columns)"
        }
        if s == c.labelName { return "needs a real.sensitive other than real.label (\(s))" }
        return "needs real.sensitive (\(s)) among the modelled columns real.columns (\(table.columns.joined(separator: ", "))): the held-out rows' groups are read from the modelled table (the sensitive column is then a feature of the downstream model)"
    }

    /// The metrics for a family of tables on `real` (empty when none applies).
    public static func all<F: GenerativeFamily>(real: RealDataConfig) -> [Metric<F>] where F.Data == MixedTable {
        guard case .success(let columns) = labelColumns(real: real) else { return [] }
        let offered = available(real: real)
        let tstr: MetricNeeds = [.batch, .heldout], trtr: MetricNeeds = [.initialReal, .heldout]
        let all: [Metric<F>] = [
            Metric(.tstrAccuracy, needs: tstr) { synthetic($0, columns).accuracy },
            Metric(.tstrAUC, needs: tstr) { synthetic($0, columns).auc },
            Metric(.tstrR2, needs: tstr) { synthetic($0, columns).r2 },
            Metric(.trtrAccuracy, needs: trtr) { baseline($0, columns).accuracy },
            Metric(.trtrAUC, needs: trtr) { baseline($0, columns).auc },
            Metric(.trtrR2, needs: trtr) { baseline($0, columns).r2 },
            Metric(.utilityRatio, needs: tstr.union(trtr)) { c in
                let key: KeyPath<Evaluation, Double> = c.utility.model == .logistic ? \.accuracy : \.r2
                return synthetic(c, columns)[keyPath: key] / baseline(c, columns)[keyPath: key]
            },
            Metric(.demographicParityRatio, needs: tstr) { synthetic($0, columns).demographicParityRatio },
            Metric(.equalOpportunityDifference, needs: tstr) { synthetic($0, columns).equalOpportunityDifference },
            Metric(.trtrDemographicParityRatio, needs: trtr) { baseline($0, columns).demographicParityRatio },
            Metric(.trtrEqualOpportunityDifference, needs: trtr) { baseline($0, columns).equalOpportunityDifference },
        ]
        return all.filter { offered.contains($0.name) }
    }

    static let tstrKey = SharedValue<Evaluation>()
    static let trtrKey = SharedValue<Evaluation>()

    /// The model trained on the generation's batch (once per generation).
    static func synthetic<F>(_ c: MetricContext<F>, _ columns: Columns) -> Evaluation where F.Data == MixedTable {
        c.shared(tstrKey) { evaluate(train: c.batch!, test: c.utilityTestSet!, columns: columns, model: c.utility.model,
                                        minGroup: c.utility.minGroup) }
    }

    /// The model trained on R₀ (once per chain).
    static func baseline<F>(_ c: MetricContext<F>, _ columns: Columns) -> Evaluation where F.Data == MixedTable {
        c.perChain(trtrKey) { evaluate(train: c.initialReal!, test: c.utilityTestSet!, columns: columns, model: c.utility.model,
                                           minGroup: c.utility.minGroup) }
    }

    /// A downstream model's scores on the test rows (NaN where the model does not
    /// apply: R² of a logistic model, accuracy of a linear one).
    public struct Evaluation: Sendable, Equatable {
        public var accuracy = Double.nan
        public var auc = Double.nan
        public var r2 = Double.nan
        public var demographicParityRatio = Double.nan
        public var equalOpportunityDifference = Double.nan
    }

    /// The label of each row as 0/1 (a binary label).
    static func classes(_ t: MixedTable, _ columns: Columns) -> [Double] {
        let s = t.schema.slot[columns.label]
        switch columns.binary! {
        case .numeric(let negative, let positive):
            let mid = (negative + positive) / 2
            return t.numeric[s].map { $0 >= mid ? 1 : 0 }
        case .categorical(let positive):
            return t.categorical[s].map { $0 == positive ? 1 : 0 }
        }
    }

    /// Each row's group (the sensitive column's level code, or the index of its
    /// numeric value among the distinct values), and the number of groups.
    static func groups(_ t: MixedTable, _ column: Int) -> (group: [Int], count: Int) {
        let s = t.schema.slot[column]
        if t.schema.columns[column].type == .categorical {
            return (t.categorical[s].map(Int.init), t.schema.columns[column].levels.count)
        }
        var index: [Double: Int] = [:]
        let group = t.numeric[s].map { v -> Int in
            if let k = index[v] { return k }
            index[v] = index.count
            return index.count - 1
        }
        return (group, index.count)
    }

    /// Trains `model` on `train` and scores it on `test` (same schema).
    public static func evaluate(train: MixedTable, test: MixedTable, columns: Columns,
                                model: UtilityConfig.Model, minGroup: Int = 1) -> Evaluation {
        var out = Evaluation()
        guard train.count > 0, test.count > 0 else { return out }
        let encoder = FeatureEncoder(training: train, target: columns.label)
        switch model {
        case .linear:
            let s = train.schema.slot[columns.label]
            guard columns.numericLabel,
                  let fitted = LinearModel.fit(x: encoder.dense(train), width: encoder.width, y: train.numeric[s])
            else { return out }
            out.r2 = rSquared(test.numeric[s], fitted.predict(encoder.dense(test)))
        case .logistic:
            guard columns.binary != nil else { return out }
            let y = classes(train, columns), yTest = classes(test, columns)
            let positives = y.reduce(0, +)
            let scores: [Double]
            let predicted: [Double]
            if positives == 0 || positives == Double(y.count) {
                // One class: the constant predictor of that class.
                let c = positives == 0 ? 0.0 : 1.0
                scores = [Double](repeating: 0, count: test.count)
                predicted = [Double](repeating: c, count: test.count)
            } else {
                let (index, value) = encoder.encode(train)
                let fitted = LogisticRegressionModel.fit(index: index, value: value, slots: encoder.slots,
                                                         width: encoder.width, y: y)
                let encoded = encoder.encode(test)
                scores = fitted.scores(index: encoded.index, value: encoded.value, slots: encoder.slots)
                predicted = scores.map { $0 > 0 ? 1 : 0 }
            }
            out.accuracy = accuracy(yTest, predicted)
            out.auc = auc(yTest, scores)
            if let sensitive = columns.sensitive {
                let g = groups(test, sensitive)
                out.demographicParityRatio = demographicParityRatio(predicted: predicted, group: g.group, groups: g.count,
                                                                    minGroup: minGroup)
                out.equalOpportunityDifference = equalOpportunityDifference(truth: yTest, predicted: predicted,
                                                                            group: g.group, groups: g.count, minGroup: minGroup)
            }
        }
        return out
    }

    // MARK: The measures

    /// The share of rows with `predicted == truth`.
    public static func accuracy(_ truth: [Double], _ predicted: [Double]) -> Double {
        guard !truth.isEmpty else { return .nan }
        return Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
    }

    /// The Mann–Whitney AUC of the positive rows' scores against the negative rows'
    /// (ties ½), by ``MembershipROC``; NaN with one class.
    public static func auc(_ truth: [Double], _ scores: [Double]) -> Double {
        var positive: [Double] = [], negative: [Double] = []
        for (y, s) in zip(truth, scores) { if y == 1 { positive.append(s) } else { negative.append(s) } }
        return MembershipROC(memberScores: positive, nonMemberScores: negative).auc
    }

    /// 1 − Σ(y − ŷ)²/Σ(y − ȳ)²; NaN when y is constant.
    public static func rSquared(_ y: [Double], _ predicted: [Double]) -> Double {
        guard !y.isEmpty else { return .nan }
        let mean = y.reduce(0, +) / Double(y.count)
        var res = 0.0, tot = 0.0
        for (a, b) in zip(y, predicted) {
            res += (a - b) * (a - b)
            tot += (a - mean) * (a - mean)
        }
        return tot > 0 ? 1 - res / tot : .nan
    }

    /// min over groups of P(ŷ = 1 | group) / max over groups, over the groups with at
    /// least `minGroup` rows (`utility.min_group`); NaN when no row of those is predicted
    /// positive (or there is no such group).
    public static func demographicParityRatio(predicted: [Double], group: [Int], groups k: Int,
                                              minGroup: Int = 1) -> Double {
        var rows = [Double](repeating: 0, count: k), positive = [Double](repeating: 0, count: k)
        for (p, g) in zip(predicted, group) {
            rows[g] += 1
            positive[g] += p
        }
        let rates = (0..<k).filter { rows[$0] >= Double(max(1, minGroup)) }.map { positive[$0] / rows[$0] }
        guard let hi = rates.max(), hi > 0 else { return .nan }
        return rates.min()! / hi
    }

    /// max − min over groups of P(ŷ = 1 | y = 1, group), over the groups with at least
    /// `minGroup` positive rows (and at least one); NaN when there is none.
    public static func equalOpportunityDifference(truth: [Double], predicted: [Double], group: [Int],
                                                  groups k: Int, minGroup: Int = 1) -> Double {
        var positives = [Double](repeating: 0, count: k), hits = [Double](repeating: 0, count: k)
        for i in truth.indices where truth[i] == 1 {
            positives[group[i]] += 1
            hits[group[i]] += predicted[i]
        }
        let rates = (0..<k).filter { positives[$0] >= Double(max(1, minGroup)) }.map { hits[$0] / positives[$0] }
        guard let hi = rates.max(), let lo = rates.min() else { return .nan }
        return hi - lo
    }
}
