import PostgresKit
import PostgresNIO
import SQLKit

/// A PostgreSQL row as SQLKit reads it, decoding the types Greenlight's rows hold — `Int`, `String`,
/// `Bool`, `Double` and their optionals — straight from the cell. postgres-kit's row goes through
/// its generic translation for every cell (a coding path, a dynamic cast, the workarounds for
/// Fluent's types): 20 % of the app's CPU on a PostgreSQL queue page of 51 rows and 34 columns. Any
/// other type, or one of these in a column of another PostgreSQL type, is still decoded by
/// postgres-kit, so what a row decodes to is unchanged.
struct PostgresCellRow: SQLRow {
    let row: PostgresRow
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row
        self.cells = row.makeRandomAccess()
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cells.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        !cells.contains(column) || cells[column].bytes == nil
    }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        guard cells.contains(column) else { return try row.sql().decode(column: column, as: T.self) }
        let cell = cells[column]
        switch ObjectIdentifier(T.self) {
        case Self.string where Self.isText(cell.dataType):
            return unsafeBitCast(try cell.decode(String.self), to: T.self)
        case Self.optionalString where Self.isText(cell.dataType):
            return unsafeBitCast(try cell.decode(String?.self), to: T.self)
        case Self.int where Self.isInteger(cell.dataType):
            return unsafeBitCast(try cell.decode(Int.self), to: T.self)
        case Self.optionalInt where Self.isInteger(cell.dataType):
            return unsafeBitCast(try cell.decode(Int?.self), to: T.self)
        case Self.bool where cell.dataType == .bool:
            return unsafeBitCast(try cell.decode(Bool.self), to: T.self)
        case Self.optionalBool where cell.dataType == .bool:
            return unsafeBitCast(try cell.decode(Bool?.self), to: T.self)
        case Self.double where Self.isFloat(cell.dataType):
            return unsafeBitCast(try cell.decode(Double.self), to: T.self)
        case Self.optionalDouble where Self.isFloat(cell.dataType):
            return unsafeBitCast(try cell.decode(Double?.self), to: T.self)
        default:
            return try row.sql().decode(column: column, as: T.self)
        }
    }

    private static let string = ObjectIdentifier(String.self)
    private static let optionalString = ObjectIdentifier(String?.self)
    private static let int = ObjectIdentifier(Int.self)
    private static let optionalInt = ObjectIdentifier(Int?.self)
    private static let bool = ObjectIdentifier(Bool.self)
    private static let optionalBool = ObjectIdentifier(Bool?.self)
    private static let double = ObjectIdentifier(Double.self)
    private static let optionalDouble = ObjectIdentifier(Double?.self)

    private static func isText(_ type: PostgresDataType) -> Bool {
        type == .text || type == .varchar || type == .bpchar || type == .name
    }

    private static func isInteger(_ type: PostgresDataType) -> Bool {
        type == .int8 || type == .int4 || type == .int2
    }

    private static func isFloat(_ type: PostgresDataType) -> Bool {
        type == .float8 || type == .float4
    }
}
