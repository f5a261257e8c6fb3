/// What a draft's agents are told: the client's prompt version, or during an experiment the
/// version of the contact's arm, with the experiment and arm to record on the draft.
public struct PromptChoice: Sendable, Hashable {
    public var version: PromptVersion
    public var experimentID: Int?
    public var arm: PromptExperiment.Arm?

    public init(version: PromptVersion, experimentID: Int? = nil, arm: PromptExperiment.Arm? = nil) {
        self.version = version
        self.experimentID = experimentID
        self.arm = arm
    }
}

/// A client's prompt as drafting reads it: its current version and the experiment running, if any.
public struct PromptSetup: Sendable, Hashable {
    public var current: PromptVersion
    public var experiment: PromptExperiment?

    public init(current: PromptVersion = .standard, experiment: PromptExperiment? = nil) {
        self.current = current
        self.experiment = experiment
    }

    /// The choice for the contact with this address.
    public func choice(for email: String) -> PromptChoice {
        guard let experiment else { return PromptChoice(version: current) }
        let arm = experiment.arm(for: email)
        return PromptChoice(version: experiment.version(arm), experimentID: experiment.id, arm: arm)
    }
}
