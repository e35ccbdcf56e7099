import type { ReactNode } from 'react';
import { StyleProvider } from '@ant-design/cssinjs';
import { IconProvider } from '@ant-design/icons';
import { App as AntApp, ConfigProvider } from 'antd';
import viVN from 'antd/locale/vi_VN';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { adoptedStyleHolder } from './adopted-styles';
import { FONT_STACK, theme } from './theme';

dayjs.locale('vi');
// Plain elements (headings, tables, native inputs) take the same stack as antd's controls.
document.documentElement.style.fontFamily = FONT_STACK;
const holder = adoptedStyleHolder();

/** The component library in Vietnamese: antd's vi_VN texts, dayjs in Vietnamese, one theme. */
export function ThemeRoot({ children }: { children: ReactNode }) {
  return (
    <StyleProvider container={holder}>
      <ConfigProvider locale={viVN} theme={theme}>
        {/* Icons would add their own <style> to the head: their few base rules are in styles.css. */}
        <IconProvider value={{ zeroRuntime: true }}>
          <AntApp component={false}>{children}</AntApp>
        </IconProvider>
      </ConfigProvider>
    </StyleProvider>
  );
}
