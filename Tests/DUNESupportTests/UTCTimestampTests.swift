import DUNESupport
import Testing

@Suite struct UTCTimestampTests {
  @Test func civilDatesAndClamp() {
    #expect(UTCTimestamp.iso(.min) == "0000-01-01T00:00:00Z")
    #expect(UTCTimestamp.iso(.max) == "9999-12-31T23:59:59Z")
    #expect(UTCTimestamp.iso(0) == "1970-01-01T00:00:00Z")
    #expect(UTCTimestamp.iso(1_700_000_000) == "2023-11-14T22:13:20Z")
    #expect(UTCTimestamp.iso(951_782_400) == "2000-02-29T00:00:00Z")
    #expect(UTCTimestamp.iso(-1) == "1969-12-31T23:59:59Z")
  }
}
