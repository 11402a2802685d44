import Foundation

/// What the two external families share: the generator's pool, the rows each
/// generation asks for, and one `fit_sample` round trip (protocol 1, docs/protocol.md):
/// write the training file, draw the seed, send the request, read back and check the
/// output file.
public struct ExternalGenerator: Sendable {
    public let pool: GeneratorPool
    /// `count`: the policy's output size, what every generation generates.
    public let count: Int

    /// The 63-bit seed of one request: 31 bits from one draw of the chain's stream, then
    /// 32 from the next (both generators give 32 random bits a draw).
    static func seed(_ stream: RandomStream) -> UInt64 {
        let high = UInt64(stream.nextRaw() & 0x7fff_ffff), low = UInt64(stream.nextRaw() & 0xffff_ffff)
        return high << 32 | low
    }

    /// One generation: `training` written as `train.csv` (`train.txt` for text) in the
    /// process's folder, the request sent, `out.csv` (`out.txt`) checked by `read` (its ``OutputProblem`` an `invalid
    /// output` failure). The seed is drawn first, whatever happens after.
    func fitSample<D>(training: [UInt8], fileExtension: String = "csv", chain: ChainIdentity, stream: RandomStream,
                      read: (String) throws(OutputProblem) -> D) -> Result<D, GeneratorFailure> {
        let seed = Self.seed(stream)
        do throws(GeneratorFailure) {
            let rows = try pool.withProcess { (process) throws(GeneratorFailure) -> D in
                let train = process.folder + "/train.\(fileExtension)", out = process.folder + "/out.\(fileExtension)"
                try ExternalFiles.write(training, to: train)
                unlink(out)  // so that a stale file never passes for this generation's
                let request = JSONValue.map([
                    "op": .string("fit_sample"), "chain": .string(chain.chainName), "generation": .int(chain.generation),
                    "train": .string(train), "count": .int(count), "seed": .int(Int(seed)), "out": .string(out),
                ]).jsonText(pretty: false)
                let what = "fit_sample (chain \(chain.chainName), generation \(chain.generation))"
                let reply = try process.request(request, timeout: pool.timeout, what: what)
                guard let ok = reply["ok"] as? Bool else {
                    throw process.failure(.malformedReply, "the reply to \(what) has no boolean \"ok\"")
                }
                guard ok else {
                    throw process.failure(.errorReply, "\(what): \(reply["error"].map { "\($0)" } ?? "no \"error\" given")")
                }
                do throws(OutputProblem) {
                    return try read(out)
                } catch {
                    throw process.failure(.invalidOutput, "\(what): \(error.message)")
                }
            }
            return .success(rows)
        } catch {
            return .failure(error)
        }
    }
}

/// A generation of an external generator: the rows it wrote (its "model" is its
/// output), or why it failed.
public struct ExternalModel<Rows: TrainingData>: Sendable {
    public let rows: Rows?
    public let failure: GeneratorFailure?
}

/// `model.family: external` with `data: vector`: a program fitted to points in ℝ^d (a
/// continuous parametric real distribution, columns x1…xd). The model is the batch it
/// wrote, so its moments are the batch's (mean and unbiased covariance): E[`variance`]
/// is the program's fitted variance. Metrics: the moment metrics (`mean`, `variance` or
/// `trace`/`logdet`, `variance_ratio`, `mean_drift`) of those moments, the sample
/// metrics (``SampleMetrics``), and `ks_complement`, `range_coverage` and (d ≥ 2)
/// `correlation_similarity` of the batch against the held-out real sample
/// (``TableMetrics``).
public struct ExternalVectorFamily: ContinuousFamily {
    public typealias Data = Dataset
    public typealias Truth = RowPool?

    /// A generation's batch and its moments.
    public struct Model: MomentModel, Sendable {
        public let output: ExternalModel<Dataset>
        public let mean: [Double]
        public let covariance: SymmetricMatrix
    }

    public let real: RealReference
    public let generator: ExternalGenerator

    public init(real: RealReference, generator: ExternalGenerator) {
        self.real = real
        self.generator = generator
    }

    /// Outside a chain (no chain to name): chain "-0", generation 0.
    public func fit(_ data: Dataset, stream: RandomStream) -> Model {
        fit(data, stream: stream, chain: ChainIdentity(cell: "-", replicate: 0, generation: 0))
    }

    public func fit(_ data: Dataset, stream: RandomStream, chain: ChainIdentity) -> Model {
        let d = dimension
        let result = generator.fitSample(training: ExternalFiles.bytes(of: data), chain: chain, stream: stream) {
            (path) throws(OutputProblem) -> Dataset in
            let columns = try ExternalFiles.read(path, names: (1...d).map { "x\($0)" },
                                                 columns: Array(repeating: .numeric, count: d), count: generator.count).numeric
            var values = [Double](repeating: 0, count: generator.count * d)
            for j in 0..<d { for i in 0..<generator.count { values[i * d + j] = columns[j][i] } }
            return Dataset(values: values, dimension: d)
        }
        switch result {
        case .success(let rows):
            let (mean, covariance) = rows.count > 1 ? rows.meanAndCovariance(ddof: 1)
                : (rows.values, SymmetricMatrix(dimension: d, values: [Double](repeating: .nan, count: d * d)))
            return Model(output: ExternalModel(rows: rows, failure: nil), mean: mean, covariance: covariance)
        case .failure(let f):
            return Model(output: ExternalModel(rows: nil, failure: f), mean: [Double](repeating: .nan, count: d),
                         covariance: SymmetricMatrix(dimension: d, values: [Double](repeating: .nan, count: d * d)))
        }
    }

    public func diagnose(_ model: Model) -> [ChainEvent.Kind] { model.output.failure == nil ? [] : [.generatorFailed] }
    public func failureMessage(_ model: Model) -> String? { model.output.failure?.description }

    public func sample(_ model: Model, count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
        let rows = model.output.rows!
        precondition(count <= rows.count, "an external generator wrote \(rows.count) rows; \(count) asked for")
        return count == rows.count ? rows : rows.prefix(count)
    }

    public static func metrics(real: RealDataConfig) -> [Metric<ExternalVectorFamily>] {
        let d = real.dimension
        let needs: MetricNeeds = [.batch, .heldout]
        var table: [Metric<ExternalVectorFamily>] = [
            Metric(.ksComplement, needs: needs) { c in
                TableMetrics.ksComplement(real: MixedTable(rowMajor: c.heldout!.values, dimension: d),
                                          synthetic: MixedTable(rowMajor: c.batch!.values, dimension: d))
            },
            Metric(.rangeCoverage, needs: needs) { c in
                TableMetrics.rangeCoverage(real: MixedTable(rowMajor: c.heldout!.values, dimension: d),
                                           synthetic: MixedTable(rowMajor: c.batch!.values, dimension: d))
            },
        ]
        if d >= 2 {
            table.append(Metric(.correlationSimilarity, needs: needs) { c in
                TableMetrics.correlationSimilarity(real: MixedTable(rowMajor: c.heldout!.values, dimension: d),
                                                   synthetic: MixedTable(rowMajor: c.batch!.values, dimension: d))
            })
        }
        return (MomentMetrics.all(dimension: d) + SampleMetrics.all() + table).sorted { $0.name < $1.name }
    }
}

/// `model.family: external` with `data: table`: a program fitted to a table file's
/// modelled columns (numeric and categorical), drawn by row without replacement from
/// the chain's ``RowPool``. The model is the table it wrote; metrics: the table metrics
/// (``TableMetrics``) its schema supports, of the batch against the held-out real rows,
/// and with a `real.label` on numeric columns `label_coverage` (``LabelCentroids``).
public struct ExternalTableFamily: GenerativeFamily {
    public typealias Data = MixedTable
    public typealias Model = ExternalModel<MixedTable>
    public typealias Truth = RowPool

    public let table: MixedTable
    public let generator: ExternalGenerator
    /// The judge of `label_coverage` (nil without a `real.label`, see ``LabelCentroids``).
    public let centroids: LabelCentroids?

    public init(table: MixedTable, generator: ExternalGenerator, centroids: LabelCentroids? = nil) {
        self.table = table
        self.generator = generator
        self.centroids = centroids
    }

    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> RowPool { RowPool(rowCount: table.count) }

    public func drawReal(_ count: Int, truth: RowPool, stream: RandomStream) -> MixedTable {
        table.rows(truth.take(count, stream: stream))
    }

    /// Outside a chain (no chain to name): chain "-0", generation 0.
    public func fit(_ data: MixedTable, stream: RandomStream) -> Model {
        fit(data, stream: stream, chain: ChainIdentity(cell: "-", replicate: 0, generation: 0))
    }

    public func fit(_ data: MixedTable, stream: RandomStream, chain: ChainIdentity) -> Model {
        let schema = table.schema
        let present = ExternalFiles.presentCategories(data)
        let columns: [ExternalFiles.Column] = schema.columns.indices.map { j in
            schema.columns[j].type == .numeric ? .numeric : .categorical(present[schema.slot[j]])
        }
        let result = generator.fitSample(training: ExternalFiles.bytes(of: data), chain: chain, stream: stream) {
            (path) throws(OutputProblem) -> MixedTable in
            let read = try ExternalFiles.read(path, names: schema.columns.map(\.name), columns: columns, count: generator.count)
            return MixedTable(schema: schema, numeric: read.numeric, categorical: read.categorical)
        }
        switch result {
        case .success(let rows): return Model(rows: rows, failure: nil)
        case .failure(let f): return Model(rows: nil, failure: f)
        }
    }

    public func diagnose(_ model: Model) -> [ChainEvent.Kind] { model.failure == nil ? [] : [.generatorFailed] }
    public func failureMessage(_ model: Model) -> String? { model.failure?.description }

    public func sample(_ model: Model, count: Int, truth: RowPool, stream: RandomStream) -> MixedTable {
        let rows = model.rows!
        precondition(count <= rows.count, "an external generator wrote \(rows.count) rows; \(count) asked for")
        return count == rows.count ? rows : rows.prefix(count)
    }

    public static func metrics(real: RealDataConfig) -> [Metric<ExternalTableFamily>] {
        guard let schema = CopulaDescriptor.schema(of: real) else { return [] }
        var out: [Metric<ExternalTableFamily>] = TableMetrics.all(schema: schema) + UtilityMetrics.all(real: real)
            + TablePrivacyMetrics.all()
        if let table = real.spec as? TableRealData, LabelCentroids(table) != nil {
            out.append(Metric(.labelCoverage, needs: .batch) { c in c.family.centroids!.coverage(c.batch!) })
        }
        return out.sorted { $0.name < $1.name }
    }
}
