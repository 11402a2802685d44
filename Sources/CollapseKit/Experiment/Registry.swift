/// The plug-in points of the config reader: the model families, real-data kinds,
/// policy kinds and policy steps a config may name. ``standard`` lists the built-in
/// ones; adding a family means adding its files and one line there. A config naming
/// something unregistered gets the usual error listing what is allowed. Tests (or a
/// program embedding CollapseKit) extend a registry with ``adding(family:)`` and
/// friends and pass it to ``ConfigLoader``.
public struct Registry: Sendable {
    public var families: [any FamilyDescriptor]
    public var realKinds: [any RealDataKind]
    public var policies: [any PolicyKind]
    public var steps: [any TrainingStepKind]

    public init(families: [any FamilyDescriptor], realKinds: [any RealDataKind],
                policies: [any PolicyKind], steps: [any TrainingStepKind]) {
        self.families = families
        self.realKinds = realKinds
        self.policies = policies
        self.steps = steps
    }

    /// The built-in families, real data, policies and steps.
    public static let standard = Registry(
        families: [GaussianDescriptor(), CategoricalDescriptor(), KernelDensityDescriptor(),
                   GaussianMixtureDescriptor(), LinearRegressionDescriptor(),
                   CopulaDescriptor(), NGramDescriptor(), ExternalDescriptor()],
        realKinds: [NormalRealData.Kind(), StudentTRealData.Kind(), MixtureRealData.Kind(),
                    UniformRealData.Kind(), ZipfRealData.Kind(), CategoricalRealData.Kind(),
                    LinearRealData.Kind(), TableRealData.Kind(), TextRealData.Kind()],
        policies: [ReplacePolicy(), AccumulatePolicy(), AccumulateSubsamplePolicy(), MixPolicyKind()],
        steps: [CurateStepKind(), UpsampleStepKind()])

    public func adding(family: any FamilyDescriptor) -> Registry { with { $0.families.append(family) } }
    public func adding(realKind: any RealDataKind) -> Registry { with { $0.realKinds.append(realKind) } }
    public func adding(policy: any PolicyKind) -> Registry { with { $0.policies.append(policy) } }
    public func adding(step: any TrainingStepKind) -> Registry { with { $0.steps.append(step) } }

    private func with(_ change: (inout Registry) -> Void) -> Registry {
        var r = self
        change(&r)
        return r
    }

    public func family(named name: String) -> (any FamilyDescriptor)? { families.first { $0.name == name } }
    public func realKind(named name: String) -> (any RealDataKind)? { realKinds.first { $0.name == name } }
    public func policy(named name: String) -> (any PolicyKind)? { policies.first { $0.name == name } }
}
