package dev.conduit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void ipv4BlocksContainTheirAddressesOnly() {
    Cidr block = Cidr.of("10.1.0.0/16");

    assertThat(block.contains("10.1.255.7")).isTrue();
    assertThat(block.contains("10.2.0.1")).isFalse();
    assertThat(block.contains("::ffff:10.1.2.3")).as("IPv4-mapped IPv6").isTrue();
    assertThat(block.contains("2001:db8::1")).isFalse();
    assertThat(Cidr.of("10.1.2.3/16").toString()).isEqualTo("10.1.0.0/16");
    assertThat(Cidr.of("192.0.2.1").prefixLength()).isEqualTo(32);
  }

  @Test
  void ipv6BlocksContainTheirAddressesOnly() {
    Cidr block = Cidr.of("2001:db8::/32");

    assertThat(block.contains("2001:db8:ffff::1")).isTrue();
    assertThat(block.contains("[2001:db8::1]")).isTrue();
    assertThat(block.contains("2001:db9::1")).isFalse();
    assertThat(block.contains("10.0.0.1")).isFalse();
    assertThat(Cidr.of("::1").contains("::1")).isTrue();
    assertThat(Cidr.of("2001:DB8::1/48").toString()).isEqualTo("2001:db8::/48");
  }

  @Test
  void anythingElseIsNotABlock() {
    assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
    assertThat(Cidr.parse("2001:db8::/129")).isEmpty();
    assertThat(Cidr.parse("example.com")).as("never a DNS lookup").isEmpty();
    assertThat(Cidr.parse("10.0.0.0/")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/-1")).isEmpty();
    assertThat(Cidr.parse("")).isEmpty();
    assertThat(Cidr.addressBytes("not-an-ip")).isNull();
  }
}
