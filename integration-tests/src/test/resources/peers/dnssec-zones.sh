#!/bin/sh
# Signs the test zones in /zones and runs BIND's named as their authoritative server (no recursion).
# Input: /zones/zones.list, one "<zone> <signing>" line per zone, children before the anchor zone; and
# /zones/<zone>.records, the zone's records with absolute owner names. Signing:
#   anchor    signed; its KSK's DS record is written to /zones/anchor.ds (the validator's trust anchor)
#   signed    signed, its DS in the anchor zone
#   unsigned  delegated without DS (an insecure delegation, RFC 4035 §5.2)
#   expired   signed with RRSIG validity entirely in the past, DS in the anchor zone (bogus)
#   wrong-ds  signed, but the anchor zone's DS names a key the zone does not use (bogus)
#   servfail  declared with a zone file that cannot load: named answers SERVFAIL for every name in it
# Keys are made here, at start, with dnssec-keygen; nothing is kept.
set -eu
cd /zones
mkdir -p keys
ip=$(hostname -i | awk '{print $1}')
anchor=$(awk '$2 == "anchor" {print $1}' zones.list)
past_start=$(date -u -d '-30 days' +%Y%m%d%H%M%S)
past_end=$(date -u -d '-2 days' +%Y%m%d%H%M%S)
cat > named.conf <<CONF
options {
    directory "/zones";
    listen-on { any; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    allow-query { any; };
    querylog yes;
    pid-file none;
};
CONF
: > delegations
keygen() {
    dnssec-keygen -q -K keys -a ECDSAP256SHA256 -n ZONE "$@"
}
while read -r zone signing; do
    [ -n "$zone" ] || continue
    file="$zone.db"
    {
        echo "\$TTL 300"
        echo "$zone. IN SOA ns.$anchor. hostmaster.$anchor. 1 3600 600 86400 300"
        echo "$zone. IN NS ns.$anchor."
        cat "$zone.records"
    } > "$file"
    if [ "$signing" = anchor ]; then
        echo "ns.$anchor. IN A $ip" >> "$file"
        cat delegations >> "$file"
    fi
    case "$signing" in
        servfail)
            echo "this line is not a resource record" >> "$file"
            ;;
        unsigned)
            echo "$zone. IN NS ns.$anchor." >> delegations
            ;;
        anchor|signed|expired|wrong-ds)
            zsk=$(keygen "$zone")
            ksk=$(keygen -f KSK "$zone")
            cat "keys/$zsk.key" "keys/$ksk.key" >> "$file"
            times=""
            if [ "$signing" = expired ]; then
                # no post-signing verification: the signatures are meant to be expired
                times="-P -s $past_start -e $past_end"
            fi
            # shellcheck disable=SC2086
            dnssec-signzone -q -K keys -o "$zone" $times -f "$file.signed" "$file" > /dev/null
            file="$file.signed"
            if [ "$signing" = anchor ]; then
                dnssec-dsfromkey -2 "keys/$ksk.key" > anchor.ds
            else
                echo "$zone. IN NS ns.$anchor." >> delegations
                if [ "$signing" = wrong-ds ]; then
                    other=$(keygen -f KSK "$zone")
                    dnssec-dsfromkey -2 "keys/$other.key" >> delegations
                else
                    dnssec-dsfromkey -2 "keys/$ksk.key" >> delegations
                fi
            fi
            ;;
    esac
    printf 'zone "%s" { type primary; file "%s"; };\n' "$zone" "$file" >> named.conf
done < zones.list
echo "DNSSEC ZONES SIGNED anchor=$anchor"
exec named -g -c /zones/named.conf
