/**
 * The CJK font every PDF embeds: Noto Sans SC shipped through npm (@expo-google-fonts/noto-sans-sc),
 * subset by pdfkit on embedding — no system font is assumed.
 */
export const CJK_FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
export const CJK_FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');
