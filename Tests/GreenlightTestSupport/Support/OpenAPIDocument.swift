import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing

/// The app's OpenAPI document (`Public/api/v1/openapi.json`) read by the tests: finds the operation
/// a request hit and checks an answer against it — its status must be documented and its JSON body
/// must match the schema (the subset of JSON Schema the document keeps to: type, properties,
/// required, additionalProperties, items, enum, const, $ref, oneOf, anyOf, minimum, maximum,
/// minLength). ``WebClient`` checks every `/api/v1` answer of every test this way.
package struct OpenAPIDocument: Sendable {
    package let root: JSONValue

    package static let shared: OpenAPIDocument = {
        let path = TestDatabase.paths.root + "/Public/api/v1/openapi.json"
        do {
            return OpenAPIDocument(root: try JSONValue.parse(String(contentsOfFile: path, encoding: .utf8)))
        } catch {
            fatalError("the OpenAPI document at \(path) does not read: \(error)")
        }
    }()

    /// Every documented operation as (method in capitals, path template).
    package var operations: [(method: String, path: String)] {
        (root["paths"]?.object ?? [:]).flatMap { path, item in
            (item.object ?? [:]).keys.filter { ["get", "put", "post", "delete", "patch"].contains($0) }.map { ($0.uppercased(), path) }
        }
    }

    /// The path template and operation a concrete request path matches (`/api/v1/emails/7` → `/api/v1/emails/{id}`).
    package func operation(method: String, path: String) -> (template: String, operation: JSONValue)? {
        let segments = path.split(separator: "/")
        for (template, item) in root["paths"]?.object ?? [:] {
            let pattern = template.split(separator: "/")
            guard pattern.count == segments.count,
                zip(pattern, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }),
                let operation = item[method.lowercased()]
            else { continue }
            return (template, operation)
        }
        return nil
    }

    /// What is wrong with an answer to `method uri` according to the document (empty: nothing).
    func problems(method: String, uri: String, status: Int, body: String) -> [String] {
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        guard let (template, operation) = self.operation(method: method, path: path) else {
            // An unknown route answers 404 or 405 like any other; anything else must be documented.
            return [404, 405].contains(status) ? [] : ["\(method) \(path) answered \(status) but is not in the OpenAPI document"]
        }
        guard let response = operation["responses"]?[String(status)] ?? operation["responses"]?["default"] else {
            return ["\(method) \(template): status \(status) is not documented (body: \(body.prefix(300)))"]
        }
        guard let schema = response["content"]?["application/json"]?["schema"] else { return [] }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            return ["\(method) \(template) \(status): the body is not JSON: \(body.prefix(300))"]
        }
        return validate(value, against: schema, at: "").map { "\(method) \(template) \(status): \($0)" }
    }

    /// Where `value` breaks `schema`, each as "at /path: what".
    /// What is wrong with a string against a `format` the document uses (`date`: a real
    /// `YYYY-MM-DD`; `date-time`: RFC 3339 with a zone), or nil; an unknown format is a problem too.
    package static func check(_ text: String, format: String) -> String? {
        switch format {
        case "date":
            guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, LocalDay.dayNumber(of: text) != nil else {
                return "\"\(text)\" is not a date (YYYY-MM-DD)"
            }
            return nil
        case "date-time":
            guard let match = text.wholeMatch(of: /(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})/),
                LocalDay.dayNumber(of: String(match.1)) != nil
            else { return "\"\(text)\" is not an RFC 3339 date-time" }
            return nil
        default:
            return "format \(format) is not one this validator knows"
        }
    }

    package func validate(_ value: JSONValue, against schema: JSONValue, at path: String) -> [String] {
        if let reference = schema["$ref"]?.string {
            guard let name = reference.split(separator: "/").last, reference.hasPrefix("#/components/schemas/"),
                let target = root["components"]?["schemas"]?[String(name)]
            else { return ["at \(path.isEmpty ? "/" : path): unresolvable \(reference)"] }
            return validate(value, against: target, at: path)
        }
        let here = path.isEmpty ? "/" : path
        var problems: [String] = []
        if let types = schema["type"] {
            let allowed = types.array?.compactMap(\.string) ?? [types.string].compactMap { $0 }
            guard allowed.contains(where: { Self.matches(value, type: $0) }) else {
                return ["at \(here): \(value.description.prefix(120)) is not of type \(allowed.joined(separator: " or "))"]
            }
        }
        if let options = schema["enum"]?.array, !options.contains(value) {
            problems.append("at \(here): \(value) is not one of \(options.map(\.description).joined(separator: ", "))")
        }
        if let constant = schema["const"], constant != value { problems.append("at \(here): \(value) is not \(constant)") }
        if let number = value.number {
            if let minimum = schema["minimum"]?.number, number < minimum { problems.append("at \(here): \(number) is below \(minimum)") }
            if let maximum = schema["maximum"]?.number, number > maximum { problems.append("at \(here): \(number) is above \(maximum)") }
        }
        if let text = value.string, let format = schema["format"]?.string, let problem = Self.check(text, format: format) {
            problems.append("at \(here): \(problem)")
        }
        if let text = value.string, let minimum = schema["minLength"]?.number, Double(text.count) < minimum {
            problems.append("at \(here): \"\(text)\" is shorter than \(Int(minimum))")
        }
        if let fields = value.object {
            let properties = schema["properties"]?.object ?? [:]
            for name in schema["required"]?.array?.compactMap(\.string) ?? [] where fields[name] == nil {
                problems.append("at \(here): \"\(name)\" is required but missing")
            }
            for (name, field) in fields {
                if let property = properties[name] {
                    problems += validate(field, against: property, at: path + "/" + name)
                } else if let extra = schema["additionalProperties"] {
                    if extra == .bool(false) {
                        problems.append("at \(here): \"\(name)\" is not documented")
                    } else if extra.object != nil {
                        problems += validate(field, against: extra, at: path + "/" + name)
                    }
                }
            }
        }
        if let items = value.array, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { problems += validate(item, against: itemSchema, at: path + "/\(index)") }
        }
        if let choices = schema["oneOf"]?.array {
            let passing = choices.filter { validate(value, against: $0, at: path).isEmpty }.count
            if passing != 1 {
                problems.append("at \(here): \(value.description.prefix(120)) matches \(passing) of the oneOf choices, not exactly one")
            }
        }
        if let choices = schema["anyOf"]?.array, !choices.contains(where: { validate(value, against: $0, at: path).isEmpty }) {
            problems.append("at \(here): \(value.description.prefix(120)) matches none of the anyOf choices")
        }
        return problems
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("integer", .int), ("number", .int),
            ("number", .double):
            true
        case ("integer", .double(let number)): number.rounded() == number
        default: false
        }
    }
}
