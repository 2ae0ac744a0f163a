package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import org.junit.jupiter.api.Test;


class QrCodesTest {
    /**
     * Decodes the PNG as the pure barcode it is. ZXing's general detector (no hint) misses the alignment patterns of
     * some larger synthetic codes (versions 8+) that pure-barcode decoding reads; phones use other detectors.
     */
    static String decode(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        java.util.Map<com.google.zxing.DecodeHintType, Object> hints = new java.util.EnumMap<>(com.google.zxing.DecodeHintType.class);
        hints.put(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE);
        return new MultiFormatReader()
                .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))), hints).getText();
    }

    @Test
    void pngDecodesToTheSameText() throws Exception {
        String uri = "otpauth://totp/Tollgate:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Tollgate"
                + "&algorithm=SHA1&digits=6&period=30";
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCodes.png(uri)));
        assertThat(image.getWidth()).isEqualTo(QrCodes.SIZE);
        assertThat(decode(QrCodes.png(uri))).isEqualTo(uri);
    }

    @Test
    void everyRandomEnrolmentUriDecodes() throws Exception {
        // An IT once failed to find the code in one PNG: try many secrets and account names of varying length.
        Random random = new Random(20261129);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] secret = new byte[20 + random.nextInt(45)];
            random.nextBytes(secret);
            String uri = "otpauth://totp/Tollgate:user" + i + "%40" + "d".repeat(1 + random.nextInt(30)) + ".example"
                    + "?secret=" + Base32.encode(secret) + "&issuer=Tollgate&algorithm=SHA512&digits=8&period=30";
            try {
                String got = decode(QrCodes.png(uri));
                if (!got.equals(uri)) {
                    failures.add(uri + " decoded as " + got);
                }
            } catch (NotFoundException e) {
                failures.add(uri + " not found");
            }
        }
        assertThat(failures).isEmpty();
    }
}
