import Foundation
public enum GreenlightVersion { public static let string = "0.1.0" }
