import Foundation
import Testing
@testable import CollapseKit

/// The downstream utility and fairness metrics of issue 17: logistic regression and OLS
/// against a live scikit-learn (coefficients, accuracy, AUC, R²), the fairness measures
/// against hand computations, and the degenerate training sets (one label class, an
/// empty batch) recorded rather than crashed on.
struct UtilityTests {
    /// A fixed table: numeric x1, x2 (Gaussian), x3 (constant 2 in training, 3 in
    /// testing: a zero column on both sides), categorical c (levels a, b, c; "c" never in
    /// training), and a label from a logistic (binary `label`, levels "no"/"yes") or a
    /// linear model (numeric `label`).
    static func table(rows n: Int, seed: UInt64, binary: Bool, testing: Bool) -> MixedTable {
        let stream = RandomStream(key: StreamKey(seed: seed, cell: 17, replicate: testing ? 1 : 0))
        var x1: [Double] = [], x2: [Double] = [], x3: [Double] = [], c: [Int32] = [], y: [Double] = [], yc: [Int32] = []
        for _ in 0..<n {
            let a = stream.standardNormal(), b = stream.standardNormal() * 3 + 1
            let level = Int32(stream.uniformIndex(below: testing ? 3 : 2))
            let effect = [0.0, 0.8, -1.5][Int(level)]
            x1.append(a); x2.append(b); x3.append(testing ? 3 : 2); c.append(level)
            let eta = 0.3 + 1.2 * a - 0.4 * b + effect
            if binary {
                let p = 1 / (1 + exp(-eta))
                yc.append(stream.uniform() < p ? 1 : 0)
            } else {
                y.append(eta + 0.5 * stream.standardNormal())
            }
        }
        var columns = [TableSchema.Column(name: "x1", type: .numeric), TableSchema.Column(name: "c", type: .categorical, levels: ["a", "b", "c"]),
                       TableSchema.Column(name: "x2", type: .numeric), TableSchema.Column(name: "x3", type: .numeric)]
        columns.append(binary ? TableSchema.Column(name: "label", type: .categorical, levels: ["no", "yes"])
                              : TableSchema.Column(name: "label", type: .numeric))
        let schema = TableSchema(columns: columns)
        return binary ? MixedTable(schema: schema, numeric: [x1, x2, x3], categorical: [c, yc])
            : MixedTable(schema: schema, numeric: [x1, x2, x3, y], categorical: [c])
    }

    static func csv(_ t: MixedTable) -> String {
        var lines = [t.schema.columns.map(\.name).joined(separator: ",")]
        for i in 0..<t.count {
            lines.append(t.schema.columns.indices.map { j -> String in
                let s = t.schema.slot[j]
                return t.schema.columns[j].type == .numeric ? "\(t.numeric[s][i])" : t.schema.columns[j].levels[Int(t.categorical[s][i])]
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let binaryColumns = UtilityMetrics.Columns(label: 4, sensitive: 1, numericLabel: false,
                                                      binary: .categorical(positive: 1), labelName: "label", labelValues: 2)
    static let numericColumns = UtilityMetrics.Columns(label: 4, sensitive: nil, numericLabel: true, binary: nil,
                                                       labelName: "label", labelValues: 300)

    /// The python preamble shared by both comparisons: reads the two CSVs and builds
    /// scikit-learn's design (StandardScaler on x1, x2, x3 fitted on training;
    /// OneHotEncoder over the levels a, b, c), columns in table order.
    static let design = """
    import csv, json, sys
    try:
        import numpy as np
        from sklearn.preprocessing import StandardScaler, OneHotEncoder
        from sklearn.linear_model import LogisticRegression, LinearRegression
        from sklearn.metrics import accuracy_score, roc_auc_score, r2_score
    except ImportError:
        print("skip"); sys.exit(0)
    def read(path):
        rows = list(csv.DictReader(open(path)))
        num = np.array([[float(r[k]) for k in ("x1", "x2", "x3")] for r in rows])
        cat = np.array([[r["c"]] for r in rows])
        return num, cat, [r["label"] for r in rows]
    train_path, test_path = sys.argv[1], sys.argv[2]
    ntr, ctr, ytr = read(train_path)
    nte, cte, yte = read(test_path)
    scaler = StandardScaler().fit(ntr)
    enc = OneHotEncoder(categories=[["a", "b", "c"]], sparse_output=False).fit(ctr)
    def X(num, cat):
        s, o = scaler.transform(num), enc.transform(cat)
        return np.column_stack([s[:, 0], o, s[:, 1], s[:, 2]])
    Xtr, Xte = X(ntr, ctr), X(nte, cte)

    """

    /// Runs `script` with python3 on the two tables written as CSV files; nil when
    /// python3 or scikit-learn is missing.
    func runPython(_ script: String, train: MixedTable, test: MixedTable) throws -> [String: [Double]]? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("utility-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainPath = dir.appendingPathComponent("train.csv").path, testPath = dir.appendingPathComponent("test.csv").path
        try Self.csv(train).write(toFile: trainPath, atomically: true, encoding: .utf8)
        try Self.csv(test).write(toFile: testPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.design + script, trainPath, testPath]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch { return nil }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if process.terminationStatus == 127 || text == "skip" { return nil }
        try #require(process.terminationStatus == 0, "python: \(String(decoding: errors, as: UTF8.self))")
        return try JSONDecoder().decode([String: [Double]].self, from: Data(text.utf8))
    }

    /// λ = 10⁻⁴ on the mean log-loss is scikit-learn's C = 1/(nλ) on the summed loss
    /// (C Σ loss + ½‖w‖², intercept unpenalised): the newton-cholesky solver at tol 10⁻¹²
    /// gives the same coefficients to 10⁻⁶ relative, the same predictions (accuracy
    /// equal) and the same AUC of the decision function. Also at λ = 0.05, where the
    /// penalty matters.
    @Test(arguments: [1e-4, 0.05]) func logisticRegressionMatchesLiveScikitLearn(lambda: Double) throws {
        let train = Self.table(rows: 400, seed: 1, binary: true, testing: false)
        let test = Self.table(rows: 300, seed: 1, binary: true, testing: true)
        let script = """
        C = 1 / (len(ytr) * \(lambda))
        m = LogisticRegression(C=C, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(Xtr, [y == "yes" for y in ytr])
        z = m.decision_function(Xte)
        t = [y == "yes" for y in yte]
        print(json.dumps({"coef": list(m.intercept_) + list(m.coef_[0]), "acc": [accuracy_score(t, m.predict(Xte))],
                          "auc": [roc_auc_score(t, z)]}))
        """
        guard let sk = try runPython(script, train: train, test: test) else { return }
        let encoder = FeatureEncoder(training: train, target: 4)
        let (index, value) = encoder.encode(train)
        let y = UtilityMetrics.classes(train, Self.binaryColumns)
        let model = LogisticRegressionModel.fit(index: index, value: value, slots: encoder.slots, width: encoder.width,
                                                y: y, lambda: lambda)
        let ours = [model.intercept] + model.weights
        try #require(ours.count == sk["coef"]!.count)
        for (a, b) in zip(ours, sk["coef"]!) {
            #expect(abs(a - b) <= 1e-6 * max(abs(b), 1), "coefficients \(ours) against scikit-learn \(sk["coef"]!)")
        }
        // The column of the level absent from training, and the constant x3, weigh nothing.
        #expect(model.weights[3] == 0 && model.weights[5] == 0)
        if lambda == LogisticRegressionModel.defaultLambda {
            let e = UtilityMetrics.evaluate(train: train, test: test, columns: Self.binaryColumns, model: .logistic)
            #expect(e.accuracy == sk["acc"]![0])
            #expect(abs(e.auc - sk["auc"]![0]) < 1e-12)
            #expect(e.r2.isNaN)
        }
    }

    /// OLS with an intercept against `LinearRegression`: the full one-hot columns make
    /// the centred design rank deficient, and both take the minimum-norm solution (the
    /// SVD with NumPy's tolerance; scikit-learn's `lstsq`); R² equals `r2_score`.
    @Test func linearRegressionMatchesLiveScikitLearn() throws {
        let train = Self.table(rows: 300, seed: 2, binary: false, testing: false)
        let test = Self.table(rows: 200, seed: 2, binary: false, testing: true)
        let script = """
        m = LinearRegression().fit(Xtr, [float(y) for y in ytr])
        print(json.dumps({"coef": [m.intercept_] + list(m.coef_), "r2": [r2_score([float(y) for y in yte], m.predict(Xte))]}))
        """
        guard let sk = try runPython(script, train: train, test: test) else { return }
        let encoder = FeatureEncoder(training: train, target: 4)
        let model = try #require(LinearModel.fit(x: encoder.dense(train), width: encoder.width, y: train.numeric[3]))
        let ours = [model.intercept] + model.weights
        try #require(ours.count == sk["coef"]!.count)
        for (a, b) in zip(ours, sk["coef"]!) {
            #expect(abs(a - b) <= 1e-6 * max(abs(b), 1), "coefficients \(ours) against scikit-learn \(sk["coef"]!)")
        }
        let e = UtilityMetrics.evaluate(train: train, test: test, columns: Self.numericColumns, model: .linear)
        #expect(abs(e.r2 - sk["r2"]![0]) < 1e-10)
        #expect(e.accuracy.isNaN && e.auc.isNaN)
    }

    /// The fairness measures by hand, on 12 test rows in 4 groups:
    ///
    ///     group 0: ŷ = 1 1 0 0, y = 1 0 1 0   rate 2/4, TPR 1/2
    ///     group 1: ŷ = 1 1 1,   y = 1 1 0     rate 3/3, TPR 2/2
    ///     group 2: ŷ = 0 1 0 0 1, y = 0 0 0 0 0  rate 2/5, no positive (skipped for TPR)
    ///     group 3: no row (skipped)
    ///
    /// demographic parity ratio = (2/5)/(3/3) = 0.4; equal opportunity difference =
    /// 1 − 1/2 = 0.5. No positive prediction at all: the ratio is NaN (0/0); no positive
    /// row: the difference is NaN; one group: ratio 1, difference 0.
    @Test func fairnessMatchesHandComputation() {
        let predicted: [Double] = [1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1]
        let truth: [Double] = [1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0]
        let group = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2]
        #expect(abs(UtilityMetrics.demographicParityRatio(predicted: predicted, group: group, groups: 4) - 0.4) < 1e-15)
        #expect(UtilityMetrics.equalOpportunityDifference(truth: truth, predicted: predicted, group: group, groups: 4) == 0.5)
        #expect(UtilityMetrics.demographicParityRatio(predicted: [0, 0, 0], group: [0, 1, 1], groups: 2).isNaN)
        // utility.min_group: a group with fewer rows (positive rows) is left out.
        #expect(UtilityMetrics.demographicParityRatio(predicted: [1, 0, 1, 1, 0], group: [0, 0, 1, 1, 2], groups: 3,
                                                      minGroup: 2) == 0.5)
        #expect(UtilityMetrics.equalOpportunityDifference(truth: [1, 1, 1, 1, 1], predicted: [1, 0, 1, 1, 0],
                                                          group: [0, 0, 1, 1, 2], groups: 3, minGroup: 2) == 0.5)
        #expect(UtilityMetrics.equalOpportunityDifference(truth: [0, 0], predicted: [1, 0], group: [0, 1], groups: 2).isNaN)
        #expect(UtilityMetrics.demographicParityRatio(predicted: [1, 0], group: [0, 0], groups: 1) == 1)
        #expect(UtilityMetrics.equalOpportunityDifference(truth: [1, 1], predicted: [1, 0], group: [0, 0], groups: 1) == 0)
        // Accuracy and AUC by hand: 2 + 2 + 3 = 7 of 12 right; AUC with ties by midranks
        // (positives' scores 3, 1, 2 against negatives' 1, 0: (1 + 1 + ½ + 1 + 1 + 1)/6).
        #expect(UtilityMetrics.accuracy(truth, predicted) == 7.0 / 12)
        #expect(abs(UtilityMetrics.auc([1, 1, 1, 0, 0], [3, 1, 2, 1, 0]) - 5.5 / 6) < 1e-15)
    }

    /// Fairness through `evaluate`: the groups are the sensitive column's levels among the
    /// test rows (here c, whose level "c" only the test rows have), from the model's own
    /// predictions.
    @Test func fairnessOfAFittedModelCountsItsPredictions() {
        let train = Self.table(rows: 400, seed: 3, binary: true, testing: false)
        let test = Self.table(rows: 300, seed: 3, binary: true, testing: true)
        let e = UtilityMetrics.evaluate(train: train, test: test, columns: Self.binaryColumns, model: .logistic)
        let encoder = FeatureEncoder(training: train, target: 4)
        let (index, value) = encoder.encode(train)
        let model = LogisticRegressionModel.fit(index: index, value: value, slots: encoder.slots, width: encoder.width,
                                                y: UtilityMetrics.classes(train, Self.binaryColumns))
        let encoded = encoder.encode(test)
        let predicted = model.scores(index: encoded.index, value: encoded.value, slots: encoder.slots).map { $0 > 0 ? 1.0 : 0 }
        let truth = UtilityMetrics.classes(test, Self.binaryColumns)
        var rate = [Double](repeating: 0, count: 3), rows = rate, tp = rate, pos = rate
        for i in 0..<test.count {
            let g = Int(test.categorical[0][i])
            rows[g] += 1; rate[g] += predicted[i]
            if truth[i] == 1 { pos[g] += 1; tp[g] += predicted[i] }
        }
        let rates = (0..<3).map { rate[$0] / rows[$0] }, tprs = (0..<3).map { tp[$0] / pos[$0] }
        #expect(e.demographicParityRatio == rates.min()! / rates.max()!)
        #expect(e.equalOpportunityDifference == tprs.max()! - tprs.min()!)
        #expect(e.demographicParityRatio > 0 && e.demographicParityRatio < 1)
    }

    /// A batch with one label class trains the constant predictor of that class (accuracy
    /// = the test share of that class, AUC ½, every group's rate equal); an empty one
    /// gives NaN; a numeric binary label off its two values goes to the nearer class.
    @Test func degenerateTrainingSetsAreRecorded() {
        let test = Self.table(rows: 300, seed: 4, binary: true, testing: true)
        let full = Self.table(rows: 300, seed: 4, binary: true, testing: false)
        let negatives = full.rows((0..<full.count).filter { full.categorical[1][$0] == 0 })
        let e = UtilityMetrics.evaluate(train: negatives, test: test, columns: Self.binaryColumns, model: .logistic)
        let share = Double(test.categorical[1].filter { $0 == 0 }.count) / Double(test.count)
        #expect(e.accuracy == share)
        #expect(e.auc == 0.5)
        #expect(e.demographicParityRatio.isNaN)  // no positive prediction: 0/0
        #expect(e.equalOpportunityDifference == 0)
        let positives = full.rows((0..<full.count).filter { full.categorical[1][$0] == 1 })
        let p = UtilityMetrics.evaluate(train: positives, test: test, columns: Self.binaryColumns, model: .logistic)
        #expect(p.accuracy == 1 - share && p.demographicParityRatio == 1 && p.equalOpportunityDifference == 0)
        let empty = UtilityMetrics.evaluate(train: full.prefix(0), test: test, columns: Self.binaryColumns, model: .logistic)
        #expect(empty.accuracy.isNaN && empty.auc.isNaN)

        let schema = TableSchema(columns: [TableSchema.Column(name: "x", type: .numeric), TableSchema.Column(name: "y", type: .numeric)])
        let t = MixedTable(schema: schema, numeric: [[0, 1, 2, 3], [0, 0.49, 0.5, 1]], categorical: [])
        let columns = UtilityMetrics.Columns(label: 1, sensitive: nil, numericLabel: true,
                                             binary: .numeric(negative: 0, positive: 1), labelName: "y", labelValues: 2)
        #expect(UtilityMetrics.classes(t, columns) == [0, 0, 1, 1])
    }

    /// Newton's method reaches the optimum on separable data too (the penalty keeps it
    /// finite): the gradient of J vanishes there.
    @Test func logisticRegressionConvergesOnSeparableData() {
        let schema = TableSchema(columns: [TableSchema.Column(name: "x", type: .numeric),
                                           TableSchema.Column(name: "y", type: .categorical, levels: ["0", "1"])])
        let x = (0..<200).map { Double($0) / 10 - 10 }
        let t = MixedTable(schema: schema, numeric: [x], categorical: [x.map { $0 > 0 ? 1 : 0 }])
        let encoder = FeatureEncoder(training: t, target: 1)
        let (index, value) = encoder.encode(t)
        let y = t.categorical[0].map(Double.init)
        let m = LogisticRegressionModel.fit(index: index, value: value, slots: 1, width: 1, y: y)
        let z = m.scores(index: index, value: value, slots: 1)
        var g0 = 0.0, g1 = 0.0
        for i in 0..<200 {
            let r = 1 / (1 + exp(-z[i])) - y[i]
            g0 += r / 200; g1 += r * value[i] / 200
        }
        g1 += LogisticRegressionModel.defaultLambda * m.weights[0]
        #expect(abs(g0) < 1e-10 && abs(g1) < 1e-10, "gradient (\(g0), \(g1)) after \(m.iterations) steps, w = \(m.weights)")
        #expect(m.weights[0] > 10 && m.weights[0].isFinite)
        #expect(UtilityMetrics.accuracy(y, z.map { $0 > 0 ? 1 : 0 }) == 1)
    }

    /// The rows the models are tested on are disjoint from R₀: the chain's held-out
    /// rows and R₀ come from one ``RowPool`` without replacement (the held-out draw
    /// first), so a table of row numbers shows no row in both.
    @Test func heldoutRowsAreDisjointFromR0() {
        let schema = TableSchema(columns: [TableSchema.Column(name: "row", type: .numeric),
                                           TableSchema.Column(name: "y", type: .categorical, levels: ["0", "1"])])
        let n = 3000
        let table = MixedTable(schema: schema, numeric: [(0..<n).map(Double.init)], categorical: [(0..<n).map { Int32($0 % 2) }])
        let family = CopulaFamily(schema: schema, source: .table(table), marginals: .empirical, temperature: 1)
        for seed in 0..<5 as Range<UInt64> {
            let stream = RandomStream(key: StreamKey(seed: seed, cell: 0, replicate: 0))
            let pool = family.makeTruth(requested: [.tstrAccuracy], stream: stream)
            let heldout = family.drawHeldout(2000, truth: pool, stream: stream)
            let r0 = family.drawReal(1000, truth: pool, stream: stream)
            #expect(Set(heldout.numeric[0]).isDisjoint(with: r0.numeric[0]))
            #expect(Set(heldout.numeric[0]).count == 2000 && Set(r0.numeric[0]).count == 1000)
        }
    }
}
