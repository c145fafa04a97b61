package io.msf.rpc.internal.a_package_whose_name_goes_on_and_on_0_and_on_and_on.a_package_whose_name_goes_on_and_on_1_and_on_and_on.a_package_whose_name_goes_on_and_on_2_and_on_and_on.a_package_whose_name_goes_on_and_on_3_and_on_and_on.a_package_whose_name_goes_on_and_on_4_and_on_and_on;

/** An exception whose class name (package included) is longer than a small frame could carry with a long message. */
public final class LongNamedException extends RuntimeException {

    public LongNamedException(String message) {
        super(message);
    }
}
