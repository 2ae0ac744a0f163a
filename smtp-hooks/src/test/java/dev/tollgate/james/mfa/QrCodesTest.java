package dev.tollgate.james.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;

class QrCodesTest {
    @Test
    void pngDecodesToTheSameText() throws Exception {
        String uri = "otpauth://totp/Tollgate:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Tollgate"
                + "&algorithm=SHA1&digits=6&period=30";
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCodes.png(uri)));
        assertThat(image.getWidth()).isEqualTo(QrCodes.SIZE);
        String decoded = new MultiFormatReader()
                .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText();
        assertThat(decoded).isEqualTo(uri);
    }
}
