#!/bin/sh
# Regenerates tshark-fields.csv: what tshark (Wireshark 4.0) shows for every frame of a few IoT
# Sentinel captures. Run from the repository root:
#   sh Tests/TrafficTests/Fixtures/tshark/make-fixture.sh Tests/TrafficTests/Fixtures/iot-sentinel \
#     Aria/Setup-A-1-STA.pcap EdimaxPlug1101W/Setup-A-1-STA.pcap Withings/Setup-A-1-STA.pcap \
#     TP-LinkPlugHS110/Setup-A-1-STA.pcap > Tests/TrafficTests/Fixtures/tshark/tshark-fields.csv
# IPv4 reassembly is off so a first fragment shows its own transport header, as the reader decodes it.
set -e
root="$1"; shift
echo "file,frame.number,frame.time_epoch,eth.src,eth.dst,ip.src,ip.dst,ip.proto,tcp.srcport,tcp.dstport,udp.srcport,udp.dstport,ip.len,ip.hdr_len,ip.ttl,tcp.flags,tcp.window_size_value,tcp.hdr_len,udp.length,ip.frag_offset"
for f in "$@"; do
  tshark -n -r "$root/$f" -o ip.defragment:FALSE -T fields -E separator=, -E occurrence=f \
    -e frame.number -e frame.time_epoch -e eth.src -e eth.dst -e ip.src -e ip.dst -e ip.proto \
    -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e ip.len -e ip.hdr_len -e ip.ttl \
    -e tcp.flags -e tcp.window_size_value -e tcp.hdr_len -e udp.length -e ip.frag_offset 2>/dev/null |
    sed "s|^|$f,|"
done
