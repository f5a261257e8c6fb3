import Foundation
/// The variables a template may name: the contact's own fields and what the drafting agents produce.
public enum TemplateVariableCatalog {
    /// Fields every contact carries, filled without any agent.
    public static let contactFields = ["first_name", "last_name", "email", "company_name", "website", "linkedin_url", "industry"]

    /// Variables produced by the drafting agents.
    public static let agentVariables = [
        "target_persona", "product_category", "competitor_name", "solve_specific_pain", "case_study_insight",
        "specific_target_1", "specific_target_2", "system_1", "system_2", "system_3",
    ]

    public static let all = Set(contactFields + agentVariables)

    /// The names in `names` that nothing provides, in the order given, without repeats.
    public static func unknown(in names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { !all.contains($0) && seen.insert($0).inserted }
    }
}
