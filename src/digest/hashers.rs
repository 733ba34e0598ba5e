//! Hashers for the digests that no RustCrypto crate offers as a fixed-length
//! [`DynDigest`]: SHAKE with OpenSSL's default output length, MD5-SHA1, the
//! KECCAK-KMAC digests and the NULL digest.

use digest::{DynDigest, ExtendableOutput, InvalidBufferSize, Update};

/// An extendable-output function cut to a fixed length, as OpenSSL 3.0 uses
/// SHAKE128 (16 bytes) and SHAKE256 (32 bytes) when no length is asked for.
#[derive(Clone, Default)]
pub(super) struct FixedXof<X, const LEN: usize> {
    xof: X,
}

impl<X, const LEN: usize> DynDigest for FixedXof<X, LEN>
where
    X: ExtendableOutput + Update + Default + Clone + Send + 'static,
{
    fn update(&mut self, data: &[u8]) {
        Update::update(&mut self.xof, data);
    }

    fn finalize_into(self, buf: &mut [u8]) -> Result<(), InvalidBufferSize> {
        if buf.len() != LEN {
            return Err(InvalidBufferSize);
        }
        self.xof.finalize_xof_into(buf);
        Ok(())
    }

    fn finalize_into_reset(&mut self, out: &mut [u8]) -> Result<(), InvalidBufferSize> {
        core::mem::take(self).finalize_into(out)
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn output_size(&self) -> usize {
        LEN
    }

    fn box_clone(&self) -> Box<dyn DynDigest> {
        Box::new(self.clone())
    }
}

/// MD5-SHA1: the MD5 and SHA-1 digests of the same data, concatenated
/// (36 bytes), the digest of TLS 1.0 and 1.1 signatures.
#[derive(Clone, Default)]
pub(super) struct Md5Sha1 {
    md5: md5::Md5,
    sha1: sha1::Sha1,
}

const MD5_LEN: usize = 16;
const MD5_SHA1_LEN: usize = 36;

impl DynDigest for Md5Sha1 {
    fn update(&mut self, data: &[u8]) {
        Update::update(&mut self.md5, data);
        Update::update(&mut self.sha1, data);
    }

    fn finalize_into(self, buf: &mut [u8]) -> Result<(), InvalidBufferSize> {
        if buf.len() != MD5_SHA1_LEN {
            return Err(InvalidBufferSize);
        }
        let (md5_out, sha1_out) = buf.split_at_mut(MD5_LEN);
        DynDigest::finalize_into(self.md5, md5_out)?;
        DynDigest::finalize_into(self.sha1, sha1_out)
    }

    fn finalize_into_reset(&mut self, out: &mut [u8]) -> Result<(), InvalidBufferSize> {
        core::mem::take(self).finalize_into(out)
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn output_size(&self) -> usize {
        MD5_SHA1_LEN
    }

    fn box_clone(&self) -> Box<dyn DynDigest> {
        Box::new(self.clone())
    }
}

/// The KECCAK-KMAC digests of OpenSSL 3.0's default provider: Keccak[c] with
/// the cSHAKE domain padding 0x04 and nothing absorbed before the data, so
/// KMAC's own encoding is left to the caller. KECCAK-KMAC-128 has a rate of
/// 168 bytes and gives 32; KECCAK-KMAC-256 has a rate of 136 bytes and gives 64.
#[derive(Clone)]
pub(super) struct KeccakKmac<const RATE: usize, const LEN: usize> {
    state: keccak::State1600,
    /// Bytes absorbed into the current block, always below `RATE`.
    position: usize,
    keccak: keccak::Keccak,
}

/// The cSHAKE domain separation bits with the first bit of pad10*1.
const CSHAKE_PAD: u8 = 0x04;

impl<const RATE: usize, const LEN: usize> Default for KeccakKmac<RATE, LEN> {
    fn default() -> Self {
        KeccakKmac {
            state: [0; 25],
            position: 0,
            keccak: keccak::Keccak::new(),
        }
    }
}

impl<const RATE: usize, const LEN: usize> KeccakKmac<RATE, LEN> {
    fn xor_byte(&mut self, index: usize, byte: u8) {
        if let Some(lane) = self.state.get_mut(index / 8) {
            *lane ^= u64::from(byte) << (8 * (index % 8));
        }
    }

    fn permute(&mut self) {
        let state = &mut self.state;
        self.keccak.with_f1600(|f1600| f1600(state));
    }
}

impl<const RATE: usize, const LEN: usize> DynDigest for KeccakKmac<RATE, LEN> {
    fn update(&mut self, data: &[u8]) {
        for &byte in data {
            self.xor_byte(self.position, byte);
            self.position += 1;
            if self.position == RATE {
                self.permute();
                self.position = 0;
            }
        }
    }

    fn finalize_into(mut self, buf: &mut [u8]) -> Result<(), InvalidBufferSize> {
        if buf.len() != LEN {
            return Err(InvalidBufferSize);
        }
        self.xor_byte(self.position, CSHAKE_PAD);
        self.xor_byte(RATE - 1, 0x80);
        self.permute();
        // LEN is below RATE for both digests, so one block of output is enough.
        for (index, out) in buf.iter_mut().enumerate() {
            let lane = self.state.get(index / 8).copied().unwrap_or_default();
            *out = lane
                .to_le_bytes()
                .get(index % 8)
                .copied()
                .unwrap_or_default();
        }
        Ok(())
    }

    fn finalize_into_reset(&mut self, out: &mut [u8]) -> Result<(), InvalidBufferSize> {
        core::mem::take(self).finalize_into(out)
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn output_size(&self) -> usize {
        LEN
    }

    fn box_clone(&self) -> Box<dyn DynDigest> {
        Box::new(self.clone())
    }
}

/// OpenSSL's NULL digest: it ignores its input and gives zero bytes.
#[derive(Clone, Copy, Default)]
pub(super) struct NullDigest;

impl DynDigest for NullDigest {
    fn update(&mut self, _data: &[u8]) {}

    fn finalize_into(self, buf: &mut [u8]) -> Result<(), InvalidBufferSize> {
        if buf.is_empty() {
            Ok(())
        } else {
            Err(InvalidBufferSize)
        }
    }

    fn finalize_into_reset(&mut self, out: &mut [u8]) -> Result<(), InvalidBufferSize> {
        DynDigest::finalize_into(*self, out)
    }

    fn reset(&mut self) {}

    fn output_size(&self) -> usize {
        0
    }

    fn box_clone(&self) -> Box<dyn DynDigest> {
        Box::new(*self)
    }
}
